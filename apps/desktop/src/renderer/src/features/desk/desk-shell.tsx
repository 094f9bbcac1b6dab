/**
 * The signed-in desk: navigation, licence banner, the current screen and the status bar. Until the
 * first sync has finished it shows the first-sync progress instead.
 */
import { type ReactNode, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppState } from '../../../../shared/app-views';
import { useApi } from '../../api/api-context';
import { LanguageSwitch } from '../../ui/language-switch';
import { useActivityReporter } from '../session/use-activity-reporter';
import { FirstSyncScreen } from '../sync/first-sync-screen';
import { LicenceBanner, StatusBar } from '../sync/status-bar';
import { useSyncView } from '../sync/use-sync-view';
import type { DeskRoute, DeskTab } from './desk-route';
import { useDeskShortcuts } from './use-desk-shortcuts';

const TABS: readonly { tab: DeskTab; keys: string }[] = [
  { tab: 'queue', keys: 'Alt+Q' },
  { tab: 'patients', keys: 'Alt+P' },
  { tab: 'appointments', keys: 'Alt+A' },
  { tab: 'sync', keys: 'Alt+S' },
];

function tabOf(route: DeskRoute): DeskTab | null {
  switch (route.screen) {
    case 'queue':
    case 'appointments':
    case 'sync':
      return route.screen;
    case 'patients':
    case 'register':
    case 'patient':
      return 'patients';
    case 'settings':
      return null;
    default:
      return route satisfies never;
  }
}

/** The desk around `render(route, navigate)`. */
export function DeskShell({
  state,
  render,
}: {
  readonly state: AppState;
  readonly render: (route: DeskRoute, navigate: (route: DeskRoute) => void, readOnly: boolean) => ReactNode;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const [route, setRoute] = useState<DeskRoute>({ screen: 'queue' });
  const sync = useSyncView();
  useActivityReporter(state.idleLockSeconds);
  const lock = useCallback(() => void api.call('session.lock', {}), [api]);
  useDeskShortcuts(route, setRoute, lock);

  if (sync.data === null) return <p className="loading">{t('app.loading')}</p>;
  if (!sync.data.firstSync.done) return <FirstSyncScreen view={sync.data} />;
  const current = tabOf(route);
  const readOnly = sync.data.licence.readOnly !== null;

  return (
    <div className="desk">
      <header className="desk-header">
        <span className="brand">{t('app.name')}</span>
        <span className="clinic-name">{state.clinicName}</span>
        <nav aria-label={t('nav.label')} className="desk-nav">
          {TABS.map(({ tab, keys }) => (
            <button
              key={tab}
              type="button"
              className={current === tab ? 'tab active' : 'tab'}
              aria-current={current === tab ? 'page' : undefined}
              aria-keyshortcuts={keys}
              onClick={() => setRoute({ screen: tab })}
            >
              {t(`nav.${tab}`)}
              <kbd>{keys}</kbd>
            </button>
          ))}
        </nav>
        <span className="desk-header-spacer" />
        <LanguageSwitch value={state.language} />
        <details className="user-menu">
          <summary>{state.user?.displayName}</summary>
          <div className="user-menu-panel">
            <p className="muted">{t(`roles.${state.user?.role ?? 'receptionist'}`)}</p>
            <button type="button" onClick={() => setRoute({ screen: 'settings' })}>
              {t('nav.settings')}
            </button>
            <button
              type="button"
              aria-keyshortcuts="Control+L"
              onClick={() => void api.call('session.lock', {})}
            >
              {t('nav.lock')} <kbd>Ctrl+L</kbd>
            </button>
            <button type="button" onClick={() => void api.call('session.logout', {})}>
              {t('nav.signOut')}
            </button>
          </div>
        </details>
      </header>
      <LicenceBanner view={sync.data} />
      <div className="desk-content">{render(route, setRoute, readOnly)}</div>
      <StatusBar
        view={sync.data}
        deviceName={state.device?.name ?? ''}
        onOpenSyncCentre={() => setRoute({ screen: 'sync' })}
      />
    </div>
  );
}
