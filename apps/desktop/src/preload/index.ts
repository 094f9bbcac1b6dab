/**
 * The preload: the renderer's only door to the main process. It exposes one narrow object,
 * `window.clinicdesk`, with two functions: call a contract channel, and listen to app events.
 * Channel names are checked here too (the main process checks everything again), so a renderer
 * bug cannot reach any other Electron IPC channel. Runs sandboxed: bundled to one CommonJS file.
 */
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import { BRIDGE_EVENT, BRIDGE_INVOKE } from '../shared/bridge';
import { type ClinicDeskBridge, isChannel } from '../shared/ipc-contract';

const bridge = {
  invoke(channel: string, args: unknown) {
    if (typeof channel !== 'string' || !isChannel(channel)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'UNKNOWN_CHANNEL', message: `No channel ${String(channel)}` },
      });
    }
    return ipcRenderer.invoke(BRIDGE_INVOKE, channel, args);
  },
  onEvent(listener: (event: unknown) => void) {
    // Wrap the listener so the renderer never sees the IpcRendererEvent (it exposes `sender`).
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(BRIDGE_EVENT, wrapped);
    return () => {
      ipcRenderer.removeListener(BRIDGE_EVENT, wrapped);
    };
  },
} satisfies ClinicDeskBridge;

contextBridge.exposeInMainWorld('clinicdesk', bridge);
