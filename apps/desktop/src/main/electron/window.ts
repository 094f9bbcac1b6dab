/**
 * Creates the main window with the hardened settings of `security/` and applies the navigation
 * rules: in-app navigation only, no new windows, allow-listed external links through the system
 * browser, every permission refused.
 */
import { BrowserWindow, type Session, shell, type WebContents } from 'electron';
import { mayGrantPermission, mayNavigate, mayOpenExternally } from '../security/navigation-policy';
import { mainWindowOptions } from '../security/web-preferences';

/** Applies the navigation and window-opening rules to one web contents. */
export function guardContents(contents: WebContents, devServerOrigin: string | null): void {
  contents.on('will-navigate', (event, url) => {
    if (!mayNavigate(url, devServerOrigin)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!mayNavigate(url, devServerOrigin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (mayOpenExternally(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** Refuses every permission request and check of a session. */
export function guardSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(mayGrantPermission(permission)),
  );
  session.setPermissionCheckHandler((_contents, permission) => mayGrantPermission(permission));
}

/** Opens the main window on `url` (the app protocol, or the dev server). */
export async function createMainWindow(options: {
  url: string;
  preloadPath: string;
  devServerOrigin: string | null;
}): Promise<BrowserWindow> {
  const window = new BrowserWindow(
    mainWindowOptions(options.preloadPath, { devTools: options.devServerOrigin !== null }),
  );
  guardContents(window.webContents, options.devServerOrigin);
  window.once('ready-to-show', () => window.show());
  await window.loadURL(options.url);
  return window;
}
