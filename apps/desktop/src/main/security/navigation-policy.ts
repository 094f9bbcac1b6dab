/**
 * Where the renderer may go and what it may open (pure rules; `electron/window.ts` applies them).
 *
 * - The app is served from one origin: the custom protocol `app://clinicdesk` in production, the
 *   Vite dev server during development. IPC answers only frames of that origin.
 * - In-app navigation away from that origin is refused; new windows are never created.
 * - External links open in the system browser only when they are https and on the allow-list.
 * - Every permission request (camera, notifications, geolocation…) is refused.
 */

/** The scheme and origin of the packaged renderer. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'clinicdesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Sites an external link may open (https only): help pages and WhatsApp sharing. */
export const EXTERNAL_LINK_ALLOW_LIST: readonly string[] = ['clinicdesk.in', 'docs.clinicdesk.in', 'wa.me'];

function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    // `new URL('app://clinicdesk/x').origin` is "null" for non-special schemes: build it by hand.
    return parsed.protocol === `${APP_SCHEME}:` ? `${APP_SCHEME}://${parsed.host}` : parsed.origin;
  } catch {
    return null;
  }
}

/** True when `url` belongs to the app itself (the packaged origin, or the dev server when given). */
export function isAppUrl(url: string, devServerOrigin: string | null = null): boolean {
  const origin = originOf(url);
  if (origin === null || origin === 'null') return false;
  return origin === APP_ORIGIN || (devServerOrigin !== null && origin === devServerOrigin);
}

/** True when the window may navigate to `url`: only within the app (a reload). */
export function mayNavigate(url: string, devServerOrigin: string | null = null): boolean {
  return isAppUrl(url, devServerOrigin);
}

/** True when `url` may be handed to the system browser: https on an allow-listed host or subdomain. */
export function mayOpenExternally(
  url: string,
  allowList: readonly string[] = EXTERNAL_LINK_ALLOW_LIST,
): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') return false;
  const host = parsed.hostname.toLowerCase();
  return allowList.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
}

/** The answer to every permission request from web content: no. */
export function mayGrantPermission(_permission: string): boolean {
  return false;
}
