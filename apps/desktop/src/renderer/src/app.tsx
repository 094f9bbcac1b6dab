/** The shell: follows the main process's phase and language. */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useLive } from './api/api-context';
import { renderDeskScreen } from './features/desk/desk-screens';
import { DeskShell } from './features/desk/desk-shell';
import { ApprovalScreen } from './features/first-run/approval-screen';
import { ConnectScreen } from './features/first-run/connect-screen';
import { LockScreen } from './features/session/lock-screen';
import { SignInScreen } from './features/session/sign-in-screen';

/** The whole app. */
export function App() {
  const { t, i18n } = useTranslation();
  const state = useLive(
    (api) => api.call('app.state', {}),
    (event) => event.type === 'state',
    [],
  );
  const language = state.data?.language;
  useEffect(() => {
    if (language === undefined) return;
    if (i18n.language !== language) void i18n.changeLanguage(language);
    document.documentElement.lang = language;
  }, [language, i18n]);
  useEffect(() => {
    document.title = t('app.name');
  });

  const current = state.data;
  if (current === null) return <p className="loading">{t('app.loading')}</p>;
  switch (current.phase) {
    case 'setup':
      return <ConnectScreen state={current} />;
    case 'awaiting-approval':
      return <ApprovalScreen state={current} />;
    case 'sign-in':
      return <SignInScreen state={current} />;
    case 'locked':
      return <LockScreen state={current} />;
    case 'ready':
      return <DeskShell state={current} render={renderDeskScreen(current)} />;
    default:
      return current.phase satisfies never;
  }
}
