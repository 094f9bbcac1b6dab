/**
 * Electron entry point (the only main-process file that starts things). It registers the `app:`
 * scheme, hardens every session and web contents, opens the store-owning services, serves the IPC
 * contract and opens the window. Everything it wires lives in plain modules the tests load without
 * Electron.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, ipcMain, session, shell } from 'electron';
import { registerAppScheme, serveRenderer } from './electron/app-protocol';
import { forwardEvents, registerIpc } from './electron/ipc-bridge';
import { createMainWindow, guardContents, guardSession } from './electron/window';
import { createIpcRouter } from './ipc/ipc-router';
import { contentSecurityPolicy } from './security/content-security-policy';
import { APP_ORIGIN, isAppUrl } from './security/navigation-policy';
import { createAppServices } from './services/app-services';

const here = fileURLToPath(new URL('.', import.meta.url));
const devServerUrl = process.env.ELECTRON_RENDERER_URL ?? null;
const devServerOrigin = devServerUrl === null ? null : new URL(devServerUrl).origin;

registerAppScheme();
app.enableSandbox();
if (!app.requestSingleInstanceLock()) app.quit();

// Every web contents, including any created later, gets the navigation rules.
app.on('web-contents-created', (_event, contents) => guardContents(contents, devServerOrigin));

async function start(): Promise<void> {
  await app.whenReady();
  guardSession(session.defaultSession);
  if (devServerOrigin !== null) {
    // The dev server cannot be given headers by the protocol handler: add the (dev) CSP here.
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: {
          ...details.responseHeaders,
          'Content-Security-Policy': [contentSecurityPolicy({ devServerOrigin })],
        },
      });
    });
  }
  serveRenderer(join(here, '../renderer'));

  const services = await createAppServices({
    dataDir: app.getPath('userData'),
    host: 'electron',
    openExternal: (url) => shell.openExternal(url),
  });
  const router = createIpcRouter(services.handlers, {
    isTrustedSender: (url) => isAppUrl(url, devServerOrigin),
    authorize: services.authorize,
    mapError: services.mapError,
    onUnexpectedError: (channel, error) => console.error(`IPC ${channel} failed`, error),
  });
  registerIpc(ipcMain, router);

  const window = await createMainWindow({
    url: devServerUrl ?? `${APP_ORIGIN}/index.html`,
    preloadPath: join(here, '../preload/index.cjs'),
    devServerOrigin,
  });
  forwardEvents(window.webContents, services.events.subscribe);

  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => void services.close());
}

start().catch((error: unknown) => {
  console.error('ClinicDesk could not start', error);
  app.exit(1);
});
