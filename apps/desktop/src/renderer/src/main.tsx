/** Renderer entry: one api client, one i18next instance, the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { createApiClient } from './api/api-client';
import { ApiProvider } from './api/api-context';
import { App } from './app';
import { createI18n } from './i18n/i18n';
import './styles/app.css';

const api = createApiClient(window);
const i18n = createI18n('en');
const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <ApiProvider value={api}>
      <I18nextProvider i18n={i18n}>
        <App />
      </I18nextProvider>
    </ApiProvider>
  </StrictMode>,
);
