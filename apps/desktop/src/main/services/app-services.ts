/**
 * The main process's services for one data folder, composed once per app instance: settings,
 * enrolment, session, local store, sync and the reception desk. It returns the IPC handler map
 * plus the access rule and error mapping the router needs. Electron and the web host both start
 * here, so the renderer sees exactly the same behaviour in either.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { normalizePhone } from '@clinicdesk/domain';
import {
  LocalRowNotFoundError,
  type LocalStore,
  LocalStoreNotReadyError,
  LocalStoreReadOnlyError,
  LocalWriteValidationError,
  openLocalStore,
} from '@clinicdesk/local-store';
import { type Clock, systemClock } from '@clinicdesk/sync-client';
import { APP_VERSION } from '../../shared/app-version';
import type { AppEvent, AppPhase, AppState, SyncView } from '../../shared/app-views';
import type { Channel, ChannelAccess } from '../../shared/ipc-contract';
import { IpcError, type IpcErrorBody } from '../../shared/ipc-errors';
import type { IpcHandlers } from '../ipc/ipc-router';
import { mayOpenExternally } from '../security/navigation-policy';
import { createEnrollmentService } from './enrollment.service';
import { createEventHub, type EventHub } from './event-hub';
import { openOfflineCredentials } from './offline-credentials';
import { argon2Verifier, type PasswordVerifier } from './password-verifier';
import { createReceptionService, type ReceptionService } from './reception.service';
import { createSessionService } from './session.service';
import { openSettingsStore } from './settings.store';
import { pendingView, refusedView, resubmit } from './sync-centre.service';
import { connectToServer, type ServerConnection, TransportError } from './sync-client.adapter';
import { buildSyncView } from './sync-view';
import { ipcErrorFromServer } from './transport-errors';

export interface AppServicesOptions {
  /** Folder for settings, the local database and cached credentials. */
  readonly dataDir: string;
  readonly host: 'electron' | 'web';
  /** Opens a link in the system browser (Electron); absent in the web host, where the page opens it. */
  readonly openExternal?: (url: string) => Promise<void>;
  /** Server address offered on the first-run screen. */
  readonly suggestedServerUrl?: string;
  readonly clock?: Clock;
  readonly connect?: (baseUrl: string) => ServerConnection;
  readonly verifier?: PasswordVerifier;
  readonly log?: (message: string, error?: unknown) => void;
  /** Changes per pull page (tests use small pages to stop a first sync midway). */
  readonly pullLimit?: number;
}

export interface AppServices {
  readonly handlers: IpcHandlers;
  readonly events: EventHub<AppEvent>;
  authorize(access: ChannelAccess, channel: Channel): IpcError | null;
  mapError(error: unknown): IpcErrorBody | null;
  close(): Promise<void>;
}

const STORE_FILE = 'clinicdesk.sqlite';

/** Maps errors of the store and the server to IPC error bodies; null for unexpected ones. */
export function mapServiceError(error: unknown): IpcErrorBody | null {
  if (error instanceof LocalStoreReadOnlyError) {
    return { code: 'READ_ONLY', message: error.message, details: { reason: error.reason } };
  }
  if (error instanceof LocalWriteValidationError) {
    return {
      code: 'VALIDATION_FAILED',
      message: error.message,
      details: { fields: error.issues.map((issue) => issue.path.join('.')) },
    };
  }
  if (error instanceof LocalRowNotFoundError) return { code: 'NOT_FOUND', message: error.message };
  if (error instanceof LocalStoreNotReadyError) return { code: 'NOT_SET_UP', message: error.message };
  if (error instanceof TransportError) return ipcErrorFromServer(error).toBody();
  return null;
}

/** Opens the services of one install. */
export async function createAppServices(options: AppServicesOptions): Promise<AppServices> {
  const { dataDir } = options;
  const log = options.log ?? ((message: string, error?: unknown) => console.error(message, error ?? ''));
  const clock = options.clock ?? systemClock();
  const connect = options.connect ?? ((baseUrl: string) => connectToServer(baseUrl));
  const settings = openSettingsStore(dataDir);
  const credentials = openOfflineCredentials(dataDir);
  const events = createEventHub<AppEvent>((error) => log('event listener failed', error));

  let storePromise: Promise<LocalStore> | null = null;
  const openStore = () => {
    storePromise ??= openLocalStore({ file: join(dataDir, STORE_FILE), now: () => new Date(clock.now()) });
    return storePromise;
  };

  const session = createSessionService({
    settings,
    credentials,
    verifier: options.verifier ?? argon2Verifier(),
    clock,
    connect,
    openStore,
    events,
    log,
    ...(options.pullLimit === undefined ? {} : { pullLimit: options.pullLimit }),
  });

  const enrollment = createEnrollmentService({
    settings,
    credentials,
    connect,
    events,
    openedStore: async () => (storePromise === null ? null : storePromise),
    async discardStore() {
      if (storePromise !== null) {
        const store = await storePromise;
        storePromise = null;
        await store.close();
      }
      const file = join(dataDir, STORE_FILE);
      // Kept, not deleted: a computer moved to another clinic must not destroy records by accident.
      if (existsSync(file)) renameSync(file, join(dataDir, `clinicdesk-${clock.now()}.sqlite.old`));
      for (const suffix of ['-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    },
    signedIn: () => session.user() !== null,
    appVersion: APP_VERSION,
  });

  const phase = (): AppPhase => {
    const device = settings.read().device;
    if (session.user() !== null) return session.locked() ? 'locked' : 'ready';
    if (device === null || device.status === 'revoked') return 'setup';
    return device.status === 'pending' ? 'awaiting-approval' : 'sign-in';
  };

  const state = (): AppState => {
    const current = settings.read();
    return {
      phase: phase(),
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
      user: session.view(),
      signedInOffline: session.signedInOffline(),
    };
  };

  const syncView = async (): Promise<SyncView> => {
    const store = await openStore();
    return buildSyncView({
      session: session.syncState(),
      cursor: store.cursorState(),
      clinic: store.clinicInfo(),
      readOnlyReason: store.readOnly()?.reason ?? null,
      pending: store.pendingCount(),
      refused: store.inbox().length,
      now: clock.now(),
    });
  };

  const signedInUser = () => {
    const user = session.user();
    if (user === null) throw new IpcError('NOT_SIGNED_IN', 'Sign in first');
    return user;
  };

  // One reception service per open store; the signed-in user is read at each write.
  let receptionFor: { store: LocalStore; service: ReceptionService } | null = null;
  const reception = async (): Promise<ReceptionService> => {
    const store = await openStore();
    if (receptionFor?.store !== store) {
      receptionFor = {
        store,
        service: createReceptionService({
          store,
          now: () => clock.now(),
          userId: () => signedInUser().id,
          wrote(entities) {
            session.notifyLocalWrite();
            events.emit({ type: 'data', entities });
            events.emit({ type: 'sync' });
          },
        }),
      };
    }
    return receptionFor.service;
  };

  const syncCentre = async () => {
    const store = await openStore();
    return { status: await syncView(), pending: pendingView(store), refused: refusedView(store) };
  };

  const handlers: IpcHandlers = {
    'app.state': () => state(),
    'settings.update': (args) => {
      settings.update(Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined)));
      if (args.idleLockSeconds !== undefined) session.idleTimeChanged();
      events.emit({ type: 'state' });
      return state();
    },
    'session.activity': () => {
      session.touch();
      return null;
    },
    'setup.connect': async (args) => {
      await enrollment.connect(args);
      return state();
    },
    'setup.checkApproval': async () => {
      await enrollment.checkApproval();
      return state();
    },
    'setup.reset': async () => {
      await enrollment.reset();
      return state();
    },
    'session.login': async ({ username, password }) => {
      await session.login(username, password);
      return state();
    },
    'session.unlock': async ({ password }) => {
      await session.unlock(password);
      return state();
    },
    'session.lock': () => {
      session.lock();
      return state();
    },
    'session.logout': async () => {
      await session.logout();
      return state();
    },
    'sync.status': () => syncView(),
    'sync.now': async () => {
      await session.syncNow();
      return syncView();
    },
    'sync.centre': () => syncCentre(),
    'sync.resubmit': async ({ id, fixes }) => {
      resubmit(await openStore(), signedInUser().id, id, fixes);
      session.notifyLocalWrite();
      events.emit({ type: 'sync' });
      return syncCentre();
    },
    'sync.dismiss': async ({ id }) => {
      (await openStore()).resolveInboxItem(id);
      events.emit({ type: 'sync' });
      return syncCentre();
    },
    'sync.export': async () => {
      const store = await openStore();
      const stamp = new Date(clock.now()).toISOString().replace(/[:.]/g, '-');
      return { fileName: `clinicdesk-sync-inbox-${stamp}.json`, content: store.exportInbox() };
    },
    'reception.doctors': async () => (await reception()).doctors(),
    'patients.search': async ({ query, limit }) => (await reception()).search(query, limit),
    'patients.get': async ({ id }) => (await reception()).detail(id),
    'patients.duplicates': async (probe) =>
      (await reception()).duplicates({
        firstName: probe.firstName,
        lastName: probe.lastName.trim() === '' ? null : probe.lastName,
        ageYears: probe.ageYears,
        dateOfBirth: probe.dateOfBirth,
        phone: normalizePhone(probe.phone),
      }),
    'patients.capacity': async () => (await reception()).capacity(),
    'patients.register': async ({ fields, acknowledgedDuplicates }) =>
      (await reception()).register(fields, acknowledgedDuplicates),
    'patients.update': async ({ id, changes, reason }) => (await reception()).update(id, changes, reason),
    'queue.today': async () => (await reception()).queue(),
    'visits.checkIn': async ({ patientId, doctorId, purpose }) => ({
      visitId: (await reception()).checkIn({ patientId, doctorId, purpose, appointmentId: null }),
    }),
    'visits.setStatus': async ({ visitId, status }) => {
      (await reception()).setVisitStatus(visitId, status);
      return null;
    },
    'visits.slip': async ({ visitId }) => (await reception()).slip(visitId),
    'appointments.day': async ({ date }) => (await reception()).appointments(date),
    'appointments.book': async (input) => ({ id: (await reception()).book(input) }),
    'appointments.move': async (input) => {
      (await reception()).move(input);
      return null;
    },
    'appointments.cancel': async ({ id }) => {
      (await reception()).cancel(id);
      return null;
    },
    'appointments.arrive': async ({ id, purpose }) => ({ visitId: (await reception()).arrive(id, purpose) }),
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
    authorize: (access) => session.authorize(access),
    mapError: mapServiceError,
    async close() {
      await session.close();
      if (storePromise !== null) await (await storePromise).close();
      storePromise = null;
    },
  };
}
