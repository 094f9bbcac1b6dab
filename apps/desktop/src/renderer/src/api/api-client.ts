/**
 * The renderer's one way to reach the main process. In Electron it calls the preload's
 * `window.clinicdesk`; in a browser it calls the web host over same-origin fetch with the launch
 * token (taken from the URL fragment once, then kept in sessionStorage for reloads). Screens never
 * know which.
 */
import type { AppEvent } from '../../../shared/app-views';
import type { Channel, ChannelInput, ClinicDeskBridge, IpcResults } from '../../../shared/ipc-contract';
import { IPC_ERROR_CODES, type IpcErrorBody, type IpcErrorCode } from '../../../shared/ipc-errors';

declare global {
  interface Window {
    clinicdesk?: ClinicDeskBridge;
  }
}

/** A call the main process answered with an error. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: IpcErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(body: IpcErrorBody) {
    super(body.message);
    this.code = body.code;
    this.details = body.details ?? {};
  }
}

export interface ApiClient {
  /** Calls a channel; resolves with its value or rejects with an ApiError. */
  call<C extends Channel>(channel: C, args: ChannelInput<C>): Promise<IpcResults[C]>;
  /** Listens to app events; returns the unsubscribe function. */
  onEvent(listener: (event: AppEvent) => void): () => void;
}

const TOKEN_HEADER = 'x-clinicdesk-token';
const TOKEN_KEY = 'clinicdesk.token';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isAppEvent(value: unknown): value is AppEvent {
  return isRecord(value) && (value.type === 'state' || value.type === 'sync' || value.type === 'data');
}

function isErrorCode(value: unknown): value is IpcErrorCode {
  return IPC_ERROR_CODES.some((code) => code === value);
}

function unwrap(envelope: unknown): unknown {
  if (!isRecord(envelope)) throw new ApiError({ code: 'INTERNAL', message: 'No answer from ClinicDesk' });
  if (envelope.ok === true) return envelope.value;
  const error = isRecord(envelope.error) ? envelope.error : {};
  throw new ApiError({
    code: isErrorCode(error.code) ? error.code : 'INTERNAL',
    message: typeof error.message === 'string' ? error.message : 'Unknown error',
    details: isRecord(error.details) ? error.details : {},
  });
}

/** The bridge of the web host: fetch for calls, a streamed /events response for events. */
function webBridge(win: Window): ClinicDeskBridge {
  const fromFragment = new URLSearchParams(win.location.hash.slice(1)).get('token');
  if (fromFragment !== null) {
    win.sessionStorage.setItem(TOKEN_KEY, fromFragment);
    // Keep the token out of the address bar, history and screenshots.
    win.history.replaceState(null, '', win.location.pathname + win.location.search);
  }
  const token = win.sessionStorage.getItem(TOKEN_KEY) ?? '';
  const listeners = new Set<(event: unknown) => void>();
  let streaming = false;

  const stream = async () => {
    for (;;) {
      try {
        const response = await fetch('/events', { headers: { [TOKEN_HEADER]: token }, cache: 'no-store' });
        const reader = response.body?.getReader();
        if (!response.ok || reader === undefined) throw new Error(`events: ${response.status}`);
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const message = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            for (const line of message.split('\n')) {
              if (line.startsWith('data: ')) {
                const event: unknown = JSON.parse(line.slice(6));
                for (const listener of listeners) listener(event);
              }
            }
            end = buffer.indexOf('\n\n');
          }
        }
      } catch {
        // The host restarted or the connection dropped: try again shortly.
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };

  return {
    async invoke(channel, args) {
      const response = await fetch(`/ipc/${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
        body: JSON.stringify(args ?? {}),
      });
      if (response.status === 401) {
        return {
          ok: false,
          error: { code: 'FORBIDDEN_SENDER', message: 'Open ClinicDesk with the address the host printed' },
        };
      }
      return response.json();
    },
    onEvent(listener) {
      listeners.add(listener);
      if (!streaming) {
        streaming = true;
        void stream();
      }
      return () => listeners.delete(listener);
    },
  };
}

/** Creates the client for this window: Electron's preload bridge if present, else the web host. */
export function createApiClient(win: Window): ApiClient {
  const bridge = win.clinicdesk ?? webBridge(win);
  return {
    async call(channel, args) {
      // The main process answers each channel with IpcResults[channel] (the handler map's type).
      return unwrap(await bridge.invoke(channel, args)) as IpcResults[typeof channel];
    },
    onEvent(listener) {
      return bridge.onEvent((event) => {
        if (isAppEvent(event)) listener(event);
      });
    },
  };
}
