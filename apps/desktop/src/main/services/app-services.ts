/**
 * The main process's services for one data folder, composed once per app instance: settings,
 * session, store, sync and the reception desk. It returns the IPC handler map plus the access rule
 * and error mapping the router needs. Electron and the web host both start here, so the renderer
 * sees exactly the same behaviour in either.
 */
import type { AppEvent, AppState } from '../../shared/app-views';
import type { Channel, ChannelAccess } from '../../shared/ipc-contract';
import { IpcError, type IpcErrorBody } from '../../shared/ipc-errors';
import type { IpcHandlers } from '../ipc/ipc-router';
import { mayOpenExternally } from '../security/navigation-policy';
import { createEventHub, type EventHub } from './event-hub';
import { openSettingsStore } from './settings.store';

export interface AppServicesOptions {
  /** Folder for settings, the local database and cached credentials. */
  readonly dataDir: string;
  readonly host: 'electron' | 'web';
  /** Opens a link in the system browser (Electron); absent in the web host, where the page opens it. */
  readonly openExternal?: (url: string) => Promise<void>;
  /** Server address offered on the first-run screen. */
  readonly suggestedServerUrl?: string;
}

export interface AppServices {
  readonly handlers: IpcHandlers;
  readonly events: EventHub<AppEvent>;
  authorize(access: ChannelAccess, channel: Channel): IpcError | null;
  mapError(error: unknown): IpcErrorBody | null;
  close(): Promise<void>;
}

/** Opens the services of one install. */
export async function createAppServices(options: AppServicesOptions): Promise<AppServices> {
  const settings = openSettingsStore(options.dataDir);
  const events = createEventHub<AppEvent>((error) => console.error('event listener failed', error));

  const state = (): AppState => {
    const current = settings.read();
    return {
      phase:
        current.device === null
          ? 'setup'
          : current.device.status === 'pending'
            ? 'awaiting-approval'
            : 'sign-in',
      host: options.host,
      language: current.language,
      idleLockSeconds: current.idleLockSeconds,
      server:
        current.serverUrl === null || current.clinicSlug === null
          ? null
          : { url: current.serverUrl, clinicSlug: current.clinicSlug },
      device:
        current.device === null
          ? null
          : { id: current.device.id, name: current.device.name, status: current.device.status },
      suggestedServerUrl: options.suggestedServerUrl ?? null,
      clinicName: current.clinicName,
      user: null,
      signedInOffline: false,
    };
  };

  const handlers: IpcHandlers = {
    'app.state': () => state(),
    'settings.update': (args) => {
      settings.update(Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined)));
      events.emit({ type: 'state' });
      return state();
    },
    'session.activity': () => null,
    'links.openExternal': async ({ url }) => {
      if (!mayOpenExternally(url)) throw new IpcError('LINK_NOT_ALLOWED', 'This link may not be opened');
      if (options.openExternal === undefined) return { openInRenderer: true };
      await options.openExternal(url);
      return { openInRenderer: false };
    },
  };

  return {
    handlers,
    events,
    authorize: (access) => (access === 'public' ? null : new IpcError('NOT_SIGNED_IN', 'Sign in first')),
    mapError: () => null,
    close: async () => {},
  };
}
