import { useEffect } from 'react';
import type { TotpStatus } from '../api/api.types';
import { REFRESH_AHEAD_MS } from '../api/api-client';
import { IdleWarning } from '../features/auth/idle-warning';
import { LoginScreen } from '../features/auth/login.screen';
import { TotpEnrolScreen } from '../features/auth/totp-enrol.screen';
import { useIdleTimeout } from '../features/auth/use-idle-timeout';
import { ErrorNotice } from '../ui/notice';
import { Layout } from './layout';
import { useServices, useSession } from './services';

/**
 * The console's gate: restore the tab's session, sign in, force authenticator enrolment, keep the
 * access token fresh, sign out after 15 idle minutes; then the screens.
 */
export function App() {
  const { api, session } = useServices();
  const state = useSession();
  const signedIn = state.kind === 'signed-in' ? state.session : null;

  // A reload in the same tab: trade the saved refresh token for a new access token.
  useEffect(() => {
    if (state.kind === 'restoring') {
      api.refresh().then(
        (ok) => {
          if (!ok) session.signOut(null);
        },
        () => session.signOut('Could not reach the server to restore your session; sign in again.'),
      );
    }
  }, [api, session, state.kind]);

  // After sign-in (or a restore), ask whether the authenticator is on.
  const needsTotpStatus = signedIn !== null && signedIn.totpEnabled === null;
  useEffect(() => {
    if (!needsTotpStatus) return;
    api.get<TotpStatus>('/v1/admin/totp').then(
      (status) => session.setTotpEnabled(status.enabled),
      () => session.signOut('Could not check your authenticator; sign in again.'),
    );
  }, [api, session, needsTotpStatus]);

  // Refresh the access token a minute before it expires, while signed in.
  const expiresAt = signedIn?.accessTokenExpiresAt ?? null;
  useEffect(() => {
    if (expiresAt === null) return;
    const wait = Math.max(5_000, expiresAt - Date.now() - REFRESH_AHEAD_MS);
    const timer = window.setTimeout(() => void api.refresh().catch(() => undefined), wait);
    return () => window.clearTimeout(timer);
  }, [api, expiresAt]);

  const idle = useIdleTimeout(signedIn !== null, () => {
    void api.logout('You were signed out after 15 minutes without activity.');
  });

  if (state.kind === 'restoring' || needsTotpStatus) {
    return (
      <main className="auth-page">
        <p role="status">Loading the console…</p>
      </main>
    );
  }
  if (state.kind === 'signed-out') return <LoginScreen notice={state.notice} />;
  if (!signedIn) return <ErrorNotice error={new Error('No session')} />;

  return (
    <>
      {signedIn.totpEnabled ? <Layout user={signedIn.user} /> : <TotpEnrolScreen />}
      {idle.phase.kind === 'warning' ? (
        <IdleWarning
          secondsLeft={idle.phase.secondsLeft}
          onStay={idle.stayActive}
          onSignOut={() => void api.logout()}
        />
      ) : null}
    </>
  );
}
