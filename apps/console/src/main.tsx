import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiClient } from './api/api-client';
import { App } from './app/app';
import { ServicesProvider } from './app/services';
import { SessionStore } from './features/auth/session.store';
import './styles.css';

const session = new SessionStore(window.sessionStorage);
const api = new ApiClient(session);
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <ServicesProvider services={{ api, session }}>
      <App />
    </ServicesProvider>
  </StrictMode>,
);
