import { createContext, type ReactNode, useContext, useSyncExternalStore } from 'react';
import type { ApiClient } from '../api/api-client';
import type { SessionState, SessionStore } from '../features/auth/session.store';

/** The console's long-lived objects, created once in main.tsx and handed down (no module state). */
export type Services = { api: ApiClient; session: SessionStore };

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ services, children }: { services: Services; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside ServicesProvider');
  return services;
}

/** The session state, re-rendering on sign-in, token refresh and sign-out. */
export function useSession(): SessionState {
  const { session } = useServices();
  return useSyncExternalStore(session.subscribe, session.getState);
}
