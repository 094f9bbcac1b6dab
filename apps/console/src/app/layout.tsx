import { useEffect, useRef } from 'react';
import type { SessionUser } from '../api/api.types';
import { AuditScreen } from '../features/audit/audit.screen';
import { ClinicScreen } from '../features/clinic/clinic.screen';
import { ClinicsScreen } from '../features/clinics/clinics.screen';
import { CreateClinicWizard } from '../features/create-clinic/create-clinic.wizard';
import { OverviewScreen } from '../features/overview/overview.screen';
import { Link, matchRoute, type Route, useLocation } from './router';
import { useServices } from './services';

const NAV: { to: string; label: string; active: (r: Route) => boolean }[] = [
  { to: '/', label: 'Overview', active: (r) => r.name === 'overview' },
  { to: '/clinics', label: 'Clinics', active: (r) => r.name === 'clinics' || r.name === 'clinic' },
  { to: '/clinics/new', label: 'New clinic', active: (r) => r.name === 'new-clinic' },
  { to: '/audit', label: 'Audit log', active: (r) => r.name === 'audit' },
];

function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case 'overview':
      return <OverviewScreen />;
    case 'clinics':
      return <ClinicsScreen />;
    case 'new-clinic':
      return <CreateClinicWizard />;
    case 'clinic':
      return <ClinicScreen id={route.id} tab={route.tab} />;
    case 'audit':
      return <AuditScreen />;
    case 'not-found':
      return (
        <section>
          <h1 tabIndex={-1}>Page not found</h1>
          <p>
            There is no console page at this address. <Link to="/">Go to the overview</Link>.
          </p>
        </section>
      );
  }
}

/** The signed-in frame: skip link, navigation, who is signed in, and the current screen. */
export function Layout({ user }: { user: SessionUser }) {
  const { api } = useServices();
  const { path } = useLocation();
  const route = matchRoute(path);
  const mainRef = useRef<HTMLElement>(null);
  const first = useRef(true);

  // Move focus to the new screen's heading so screen readers announce the change of page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each change of path, which it does not read
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const heading = mainRef.current?.querySelector<HTMLElement>('h1');
    heading?.focus();
    window.scrollTo(0, 0);
  }, [path]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            +
          </span>{' '}
          ClinicDesk <span className="brand-sub">console</span>
        </Link>
        <div className="topbar-user">
          <span>
            Signed in as <strong>{user.displayName || user.username}</strong>
          </span>
          <button
            type="button"
            className="button button-small"
            onClick={() => void api.logout('You have signed out.')}
          >
            Sign out
          </button>
        </div>
      </header>
      <nav className="sidenav" aria-label="Console">
        <ul>
          {NAV.map((item) => (
            <li key={item.to}>
              <Link to={item.to} aria-current={item.active(route) ? 'page' : undefined}>
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={mainRef} className="content" tabIndex={-1}>
        <Screen route={route} />
      </main>
    </div>
  );
}
