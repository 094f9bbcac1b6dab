/**
 * The BrowserWindow settings that keep the renderer a plain web page: no Node, an isolated
 * preload world, Chromium's sandbox, no webviews and no insecure content. Kept free of any runtime
 * Electron import so the unit tests check them without loading Electron.
 */
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/** The hardened webPreferences of every ClinicDesk window. */
export function secureWebPreferences(preloadPath: string, options: { devTools: boolean }) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: options.devTools,
  } as const satisfies WebPreferences;
}

/** Options of the main window: hidden until ready (no white flash), a sensible minimum size. */
export function mainWindowOptions(preloadPath: string, options: { devTools: boolean }) {
  return {
    width: 1360,
    height: 860,
    minWidth: 1024,
    minHeight: 680,
    show: false,
    title: 'ClinicDesk',
    backgroundColor: '#f5f7fa',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(preloadPath, options),
  } as const satisfies BrowserWindowConstructorOptions;
}
