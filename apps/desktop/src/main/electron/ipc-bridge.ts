/**
 * Connects the IPC router to Electron: one `ipcMain.handle` for every contract call, with the
 * sender's frame URL handed to the router for its origin check, and app events sent to a window.
 * Thin on purpose: the rules live in `ipc/ipc-router.ts`, which the tests exercise without Electron.
 */
import type { IpcMain, WebContents } from 'electron';
import type { AppEvent } from '../../shared/app-views';
import { BRIDGE_EVENT, BRIDGE_INVOKE } from '../../shared/bridge';
import type { IpcRouter } from '../ipc/ipc-router';

/** Serves every contract channel through `ipcMain`. */
export function registerIpc(ipcMain: IpcMain, router: IpcRouter): void {
  ipcMain.handle(BRIDGE_INVOKE, (event, channel: unknown, args: unknown) =>
    router.dispatch(typeof channel === 'string' ? channel : '', args, {
      // senderFrame is null when the frame navigated away or was destroyed: trust nothing then.
      url: event.senderFrame?.url ?? '',
    }),
  );
}

/** Forwards app events to a window's renderer while it exists. */
export function forwardEvents(
  contents: WebContents,
  subscribe: (listener: (event: AppEvent) => void) => () => void,
) {
  const unsubscribe = subscribe((event) => {
    if (!contents.isDestroyed()) contents.send(BRIDGE_EVENT, event);
  });
  contents.once('destroyed', unsubscribe);
}
