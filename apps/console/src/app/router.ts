import { type AnchorHTMLAttributes, createElement, type MouseEvent, useSyncExternalStore } from 'react';

/**
 * A small history-API router for the console's few screens. The server answers every path under
 * `/console/` with index.html, so deep links and reloads land on the right screen. Query strings
 * hold screen state worth sharing (filters, page), so back and forward work as expected.
 */
export const BASE = '/console';
const NAVIGATE_EVENT = 'console:navigate';

export type ClinicTab = 'summary' | 'subscription' | 'profile' | 'staff' | 'devices';
const CLINIC_TABS: readonly ClinicTab[] = ['summary', 'subscription', 'profile', 'staff', 'devices'];

export type Route =
  | { name: 'overview' }
  | { name: 'clinics' }
  | { name: 'new-clinic' }
  | { name: 'clinic'; id: string; tab: ClinicTab }
  | { name: 'audit' }
  | { name: 'not-found' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The route of an in-app path such as `/clinics/<id>/devices`. */
export function matchRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean);
  const [first, second, third] = parts;
  if (parts.length === 0 || (first === 'overview' && parts.length === 1)) return { name: 'overview' };
  if (first === 'audit' && parts.length === 1) return { name: 'audit' };
  if (first !== 'clinics') return { name: 'not-found' };
  if (parts.length === 1) return { name: 'clinics' };
  if (second === 'new' && parts.length === 2) return { name: 'new-clinic' };
  if (second && UUID.test(second) && parts.length <= 3) {
    const tab = (third ?? 'summary') as ClinicTab;
    if (CLINIC_TABS.includes(tab)) return { name: 'clinic', id: second, tab };
  }
  return { name: 'not-found' };
}

function snapshot(): string {
  const { pathname, search } = window.location;
  const path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  return `${path || '/'}${search}`;
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener(NAVIGATE_EVENT, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(NAVIGATE_EVENT, listener);
  };
}

/** Goes to an in-app path (`/clinics?status=trial`). */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  const url = `${BASE}${to.startsWith('/') ? to : `/${to}`}`;
  if (opts.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/** The current in-app path and query. */
export function useLocation(): { path: string; search: URLSearchParams; href: string } {
  const href = useSyncExternalStore(subscribe, snapshot);
  const [path = '/', query = ''] = href.split('?');
  return { path, search: new URLSearchParams(query), href };
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string };

/** An anchor that navigates inside the console; modified clicks (new tab) behave as usual. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    ) {
      return;
    }
    event.preventDefault();
    navigate(to);
  };
  return createElement('a', { ...rest, href: `${BASE}${to}`, onClick: handle });
}
