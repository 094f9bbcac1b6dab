/**
 * First run: connect this computer to a clinic's server and register it as a device, then wait
 * until a clinic admin approves it (or signs in on it, which approves it too). The device secret
 * the server returns is kept in the settings file; the server's signing key is pinned here, so
 * offline grants can be checked later without trusting the key that travels with them.
 */
import { ClinicSlug } from '@clinicdesk/domain';
import type { LocalStore } from '@clinicdesk/local-store';
import type { AppEvent } from '../../shared/app-views';
import { IpcError } from '../../shared/ipc-errors';
import type { EventHub } from './event-hub';
import type { OfflineCredentials } from './offline-credentials';
import type { SettingsStore } from './settings.store';
import type { ServerConnection } from './sync-client.adapter';
import { ipcErrorFromServer } from './transport-errors';

export interface EnrollmentDeps {
  readonly settings: SettingsStore;
  readonly credentials: OfflineCredentials;
  readonly connect: (baseUrl: string) => ServerConnection;
  readonly events: EventHub<AppEvent>;
  /** The store if it has been opened (reset must not lose unsynced changes). */
  readonly openedStore: () => Promise<LocalStore | null>;
  /** Moves the local database aside (a computer that changes clinic starts empty). */
  readonly discardStore: () => Promise<void>;
  readonly signedIn: () => boolean;
  readonly appVersion: string;
}

export interface EnrollmentService {
  connect(input: { serverUrl: string; clinicSlug: string; deviceName: string }): Promise<void>;
  /** Asks the server whether an admin approved this computer; returns the status. */
  checkApproval(): Promise<'pending' | 'approved' | 'revoked'>;
  /** Forgets the server and the registration (refused while changes wait to sync). */
  reset(): Promise<void>;
}

/** The server address as typed, made canonical: http(s) only, no trailing slash, no path junk. */
export function normalizeServerUrl(raw: string): string | null {
  const typed = raw.trim();
  const withScheme = /^https?:\/\//i.test(typed) ? typed : `http://${typed}`;
  try {
    const url = new URL(withScheme);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '')
      return null;
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return null;
  }
}

/** Creates the enrolment service. */
export function createEnrollmentService(deps: EnrollmentDeps): EnrollmentService {
  const { settings, events } = deps;
  return {
    async connect(input) {
      const serverUrl = normalizeServerUrl(input.serverUrl);
      if (serverUrl === null) {
        throw new IpcError('VALIDATION_FAILED', 'Not a server address', { fields: ['serverUrl'] });
      }
      const slug = ClinicSlug.safeParse(input.clinicSlug.trim().toLowerCase());
      if (!slug.success)
        throw new IpcError('VALIDATION_FAILED', 'Not a clinic code', { fields: ['clinicSlug'] });
      const connection = deps.connect(serverUrl);
      try {
        await connection.health();
        const signingKeyPem = await connection.signingKey();
        const registered = await connection.auth.registerDevice({
          clinicSlug: slug.data,
          name: input.deviceName.trim(),
          platform: process.platform,
          appVersion: deps.appVersion,
        });
        settings.update({
          serverUrl,
          clinicSlug: slug.data,
          clinicName: null,
          signingKeyPem,
          device: {
            id: registered.deviceId,
            secret: registered.deviceSecret,
            name: input.deviceName.trim(),
            status: registered.status,
          },
        });
      } catch (error) {
        throw ipcErrorFromServer(error);
      }
      events.emit({ type: 'state' });
    },

    async checkApproval() {
      const current = settings.read();
      if (current.device === null || current.serverUrl === null || current.clinicSlug === null) {
        throw new IpcError('NOT_SET_UP', 'This computer is not registered');
      }
      let status: 'pending' | 'approved' | 'revoked';
      try {
        status = await deps
          .connect(current.serverUrl)
          .auth.deviceStatus(current.clinicSlug, current.device.id, current.device.secret);
      } catch (error) {
        throw ipcErrorFromServer(error);
      }
      if (status !== current.device.status) {
        settings.update({ device: { ...current.device, status } });
        events.emit({ type: 'state' });
      }
      return status;
    },

    async reset() {
      if (deps.signedIn()) throw new IpcError('PERMISSION_DENIED', 'Sign out first');
      const store = await deps.openedStore();
      if (store !== null && store.pendingCount() > 0) {
        throw new IpcError('PENDING_CHANGES', 'Changes on this computer have not reached the server yet', {
          pending: store.pendingCount(),
        });
      }
      await deps.discardStore();
      deps.credentials.clear();
      settings.update({
        serverUrl: null,
        clinicSlug: null,
        clinicName: null,
        device: null,
        signingKeyPem: null,
      });
      events.emit({ type: 'state' });
    },
  };
}
