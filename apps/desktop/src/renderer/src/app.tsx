/** The shell: follows the main process's phase and language. */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useLive } from './api/api-context';

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
    if (language !== undefined && i18n.language !== language) void i18n.changeLanguage(language);
    if (language !== undefined) document.documentElement.lang = language;
  }, [language, i18n]);
  if (state.data === null) return <p className="loading">{t('app.loading')}</p>;
  return (
    <main className="shell">
      <h1>{t('app.name')}</h1>
    </main>
  );
}
