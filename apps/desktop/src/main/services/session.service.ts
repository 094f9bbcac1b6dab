/**
 * Who is signed in on this computer, and whether the screen is locked (DESIGN §3).
 *
 * - Online sign-in goes to the server with the device's id and secret. On success it caches an
 *   argon2id verifier of the password and the server-signed offline grant, records the clinic in
 *   the local store and starts the session's sync.
 * - When the server cannot be reached, sign-in falls back to the cache: the grant must verify
 *   against the pinned server key, name this user, clinic and device, and be unexpired (≤ 72 h);
 *   the password must match the verifier. Failed offline attempts back off. An offline session
 *   keeps trying to sign in online in the background and starts syncing when it can.
 * - The screen locks after the idle time (default 10 minutes) and unlocks with the password. While
 *   locked every channel except the public ones is refused; sync keeps running.
 */
import { type Permission, permissionsFor, type Role } from '@clinicdesk/domain';
import type { LocalStore } from '@clinicdesk/local-store';
import type { Cancel, Clock } from '@clinicdesk/sync-client';
import type { AppEvent, SessionUserView } from '../../shared/app-views';
import type { ChannelAccess } from '../../shared/ipc-contract';
import { IpcError } from '../../shared/ipc-errors';
import type { EventHub } from './event-hub';
import { type CachedUser, type OfflineCredentials, offlineWaitMs } from './offline-credentials';
import { verifyOfflineGrant } from './offline-grant';
import type { PasswordVerifier } from './password-verifier';
import type { SettingsStore } from './settings.store';
import {
  type EngineStatus,
  type LoginResponse,
  type ServerConnection,
  type SessionSync,
  startSessionSync,
} from './sync-client.adapter';
import { ipcErrorFromServer, isUnreachable } from './transport-errors';

/** The signed-in user. */
export interface SessionUser {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly clinicId: string;
}

/** The clinic as the last online sign-in described it (status, trial end). */
export type LoginClinic = NonNullable<LoginResponse['clinic']>;

interface Session {
  readonly user: SessionUser;
  mode: 'online' | 'offline';
  locked: boolean;
  lastActivityAt: number;
  sync: SessionSync | null;
  /** Offline sessions keep the password in main-process memory until an online sign-in succeeds. */
  reconnectPassword: string | null;
  /** The server refused the cached password: the user must sign in again to sync. */
  needsOnlineSignIn: boolean;
}

export interface SessionServiceDeps {
  readonly settings: SettingsStore;
  readonly credentials: OfflineCredentials;
  readonly verifier: PasswordVerifier;
  readonly clock: Clock;
  readonly connect: (baseUrl: string) => ServerConnection;
  readonly openStore: () => Promise<LocalStore>;
  readonly events: EventHub<AppEvent>;
  readonly log: (message: string, error?: unknown) => void;
  /** Changes per pull page; the sync engine's default when absent. */
  readonly pullLimit?: number;
}

/** What the status bar needs from the session. */
export interface SessionSyncState {
  readonly mode: 'online' | 'offline';
  readonly engine: EngineStatus | null;
  readonly needsOnlineSignIn: boolean;
  readonly loginClinic: LoginClinic | null;
}

export interface SessionService {
  /** The signed-in user, or null. */
  user(): SessionUser | null;
  /** The user as screens see them (with permissions), or null. */
  view(): SessionUserView | null;
  locked(): boolean;
  signedInOffline(): boolean;
  syncState(): SessionSyncState | null;
  login(username: string, password: string): Promise<void>;
  unlock(password: string): Promise<void>;
  lock(): void;
  logout(): Promise<void>;
  /** The user did something: postpones the idle lock. */
  touch(): void;
  /** The idle-lock time changed: the running timer follows it. */
  idleTimeChanged(): void;
  /** Null when the session may use a channel of `access`, else the refusal. */
  authorize(access: ChannelAccess): IpcError | null;
  /** Runs a sync cycle now, if a session is syncing. */
  syncNow(): Promise<void>;
  /** Tells the engine a local write committed. */
  notifyLocalWrite(): void;
  close(): Promise<void>;
}

const RECONNECT_MS = [5_000, 10_000, 20_000, 30_000, 60_000];

/** Creates the session service of one install. */
export function createSessionService(deps: SessionServiceDeps): SessionService {
  const { settings, credentials, verifier, clock, events } = deps;
  let session: Session | null = null;
  let loginClinic: LoginClinic | null = null;
  let engineStatus: EngineStatus | null = null;
  let idleTimer: Cancel | null = null;
  let reconnectTimer: Cancel | null = null;
  let reconnectAttempt = 0;

  const emitState = () => events.emit({ type: 'state' });
  const idleMs = () => settings.read().idleLockSeconds * 1000;

  function device() {
    const current = settings.read();
    if (current.device === null || current.serverUrl === null || current.clinicSlug === null) {
      throw new IpcError('NOT_SET_UP', 'Connect this computer to a clinic first');
    }
    if (current.device.status === 'revoked')
      throw new IpcError('DEVICE_REVOKED', 'This computer was revoked');
    return {
      ...current,
      device: current.device,
      serverUrl: current.serverUrl,
      clinicSlug: current.clinicSlug,
    };
  }

  function scheduleIdleCheck() {
    idleTimer?.();
    const current = session;
    if (current === null || current.locked) return;
    const due = current.lastActivityAt + idleMs() - clock.now();
    idleTimer = clock.schedule(
      () => {
        idleTimer = null;
        if (session === null || session.locked) return;
        if (clock.now() - session.lastActivityAt >= idleMs()) {
          session.locked = true;
          emitState();
        } else {
          scheduleIdleCheck();
        }
      },
      Math.max(0, due),
    );
  }

  function stopReconnect() {
    reconnectTimer?.();
    reconnectTimer = null;
    reconnectAttempt = 0;
  }

  async function startSync(current: Session, response: LoginResponse, connection: ServerConnection) {
    const store = await deps.openStore();
    current.sync = startSessionSync({
      connection,
      store,
      tokens: response,
      clock,
      timeZone: () => store.clinicInfo().timezone,
      onStatus: (status) => {
        engineStatus = status;
        events.emit({ type: 'sync' });
      },
      onRowsChanged: (entities) => events.emit({ type: 'data', entities }),
      ...(deps.pullLimit === undefined ? {} : { pullLimit: deps.pullLimit }),
      onGrant: (grant) =>
        credentials.updateGrant(
          current.user.username,
          grant && { token: grant.token, expiresAt: grant.expiresAt },
        ),
    });
    engineStatus = current.sync.engine.status();
  }

  /** Everything after the server accepted the password: cache, store identity, sync. */
  async function acceptOnline(
    response: LoginResponse,
    password: string,
    into: Session | null,
  ): Promise<Session> {
    const setup = device();
    const clinic = response.clinic;
    if (
      clinic === null ||
      response.user.clinicId === null ||
      response.user.role === 'super_admin' ||
      response.user.role === 'patient'
    ) {
      throw new IpcError('PERMISSION_DENIED', 'Only clinic staff sign in on a clinic computer');
    }
    const store = await deps.openStore();
    const identity = store.identity();
    if (identity !== null && identity.clinicId !== clinic.id) {
      throw new IpcError('DEVICE_UNKNOWN', 'This computer holds another clinic’s records');
    }
    if (identity === null) store.setIdentity({ deviceId: setup.device.id, clinicId: clinic.id });
    store.setClinicProfile({
      id: clinic.id,
      code: clinic.code,
      name: clinic.name,
      subscriptionStatus: clinic.subscriptionStatus,
      trialEndsAt: clinic.trialEndsAt,
      paidUntil: clinic.paidUntil,
    });
    loginClinic = clinic;

    // Pin the server key on first use; a grant signed by any other key is not cached.
    const pinned = setup.signingKeyPem ?? response.offlineGrant?.publicKey ?? null;
    const grant =
      response.offlineGrant !== null && response.offlineGrant.publicKey === pinned
        ? response.offlineGrant
        : null;
    settings.update({
      clinicName: clinic.name,
      signingKeyPem: pinned,
      device: { ...setup.device, status: 'approved' },
    });
    const user: SessionUser = {
      id: response.user.id,
      username: response.user.username,
      displayName: response.user.displayName,
      role: response.user.role,
      clinicId: clinic.id,
    };
    credentials.save({
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      clinicId: user.clinicId,
      verifier: await verifier.create(password),
      grant: grant === null ? null : { token: grant.token, expiresAt: grant.expiresAt },
      failures: 0,
      lastFailureAt: null,
    });
    const current: Session = into ?? {
      user,
      mode: 'online',
      locked: false,
      lastActivityAt: clock.now(),
      sync: null,
      reconnectPassword: null,
      needsOnlineSignIn: false,
    };
    current.mode = 'online';
    current.reconnectPassword = null;
    current.needsOnlineSignIn = false;
    const connection = deps.connect(setup.serverUrl);
    // Address, phone and time zone for slips and clinic dates; the session works without them.
    await connection
      .clinicProfile(response.accessToken)
      .then((profile) =>
        store.setClinicProfile({
          ...profile,
          subscriptionStatus: clinic.subscriptionStatus,
          trialEndsAt: clinic.trialEndsAt,
          paidUntil: clinic.paidUntil,
        }),
      )
      .catch((error: unknown) => deps.log('clinic profile not loaded', error));
    await startSync(current, response, connection);
    return current;
  }

  function scheduleReconnect() {
    const current = session;
    if (current === null || current.reconnectPassword === null) return;
    const delay = RECONNECT_MS[Math.min(reconnectAttempt, RECONNECT_MS.length - 1)] ?? 60_000;
    reconnectAttempt += 1;
    reconnectTimer = clock.schedule(() => {
      reconnectTimer = null;
      void tryReconnect(current);
    }, delay);
  }

  async function tryReconnect(current: Session) {
    if (session !== current || current.reconnectPassword === null) return;
    const setup = device();
    try {
      const response = await deps.connect(setup.serverUrl).auth.login({
        clinicSlug: setup.clinicSlug,
        username: current.user.username,
        password: current.reconnectPassword,
        deviceId: setup.device.id,
        deviceSecret: setup.device.secret,
      });
      if (session !== current) return;
      await acceptOnline(response, current.reconnectPassword, current);
      stopReconnect();
      emitState();
      events.emit({ type: 'sync' });
    } catch (error) {
      if (isUnreachable(error)) {
        scheduleReconnect();
        return;
      }
      // The server answered but refused (password changed, device revoked…): stop guessing.
      deps.log('background sign-in refused', error);
      current.reconnectPassword = null;
      current.needsOnlineSignIn = true;
      events.emit({ type: 'sync' });
    }
  }

  /** A lease that ran out while this computer was offline turns the store read-only. */
  async function enforceLease() {
    const store = await deps.openStore();
    const expires = store.clinicInfo().leaseExpiresAt;
    if (expires !== null && Date.parse(expires) <= clock.now() && store.readOnly() === null) {
      store.setReadOnly('licence_lapsed');
    }
  }

  async function loginOffline(username: string, password: string): Promise<Session> {
    const setup = device();
    const cached = credentials.find(username);
    if (cached === null || cached.grant === null || setup.signingKeyPem === null) {
      throw new IpcError('OFFLINE_LOGIN_UNAVAILABLE', 'No offline sign-in is cached for this user');
    }
    const wait = offlineWaitMs(cached, clock.now());
    if (wait > 0)
      throw new IpcError('OFFLINE_BACKOFF', 'Too many wrong attempts', { seconds: Math.ceil(wait / 1000) });
    const grant = verifyOfflineGrant(
      cached.grant.token,
      setup.signingKeyPem,
      { userId: cached.userId, clinicId: cached.clinicId, deviceId: setup.device.id },
      clock.now(),
    );
    if (!grant.ok)
      throw new IpcError('OFFLINE_LOGIN_UNAVAILABLE', `Offline grant not usable: ${grant.problem}`);
    await checkPassword(cached, password);
    loginClinic = null;
    await enforceLease();
    return {
      user: {
        id: cached.userId,
        username: cached.username,
        displayName: cached.displayName,
        role: cached.role,
        clinicId: cached.clinicId,
      },
      mode: 'offline',
      locked: false,
      lastActivityAt: clock.now(),
      sync: null,
      reconnectPassword: password,
      needsOnlineSignIn: false,
    };
  }

  /** Checks a password against the cached verifier, with the offline backoff. */
  async function checkPassword(cached: CachedUser, password: string) {
    const wait = offlineWaitMs(cached, clock.now());
    if (wait > 0)
      throw new IpcError('OFFLINE_BACKOFF', 'Too many wrong attempts', { seconds: Math.ceil(wait / 1000) });
    if (!(await verifier.check(cached.verifier, password))) {
      const updated = credentials.recordFailure(cached.username, clock.now());
      const next = updated === null ? 0 : offlineWaitMs(updated, clock.now());
      throw new IpcError('WRONG_CREDENTIALS', 'Password is wrong', {
        secondsUntilRetry: Math.ceil(next / 1000),
      });
    }
    credentials.recordSuccess(cached.username);
  }

  async function endSession() {
    const current = session;
    session = null;
    idleTimer?.();
    idleTimer = null;
    stopReconnect();
    engineStatus = null;
    if (current?.sync) {
      const token = current.sync.accessToken();
      await current.sync.stop();
      // Ending the server session is a courtesy: the user is signed out here either way.
      const setup = settings.read();
      if (setup.serverUrl !== null) {
        await deps
          .connect(setup.serverUrl)
          .auth.logout(token)
          .catch((error: unknown) => deps.log('server logout failed', error));
      }
    }
  }

  return {
    user: () => session?.user ?? null,
    view() {
      if (session === null) return null;
      const { user } = session;
      const permissions: readonly Permission[] = permissionsFor(user.role);
      return {
        id: user.id,
        username: user.username,
        displayName: user.displayName,
        role: user.role,
        permissions,
      };
    },
    locked: () => session?.locked ?? false,
    signedInOffline: () => session?.mode === 'offline',
    syncState() {
      if (session === null) return null;
      return {
        mode: session.mode,
        engine: session.sync === null ? null : engineStatus,
        needsOnlineSignIn: session.needsOnlineSignIn,
        loginClinic,
      };
    },

    async login(username, password) {
      const setup = device();
      if (session !== null) await endSession();
      let next: Session;
      try {
        const response = await deps.connect(setup.serverUrl).auth.login({
          clinicSlug: setup.clinicSlug,
          username,
          password,
          deviceId: setup.device.id,
          deviceSecret: setup.device.secret,
        });
        next = await acceptOnline(response, password, null);
      } catch (error) {
        if (error instanceof IpcError) throw error;
        if (!isUnreachable(error)) {
          const refusal = ipcErrorFromServer(error);
          if (refusal.code === 'DEVICE_REVOKED') {
            settings.update({ device: { ...setup.device, status: 'revoked' } });
            emitState();
          }
          throw refusal;
        }
        next = await loginOffline(username, password);
      }
      session = next;
      if (next.mode === 'offline') scheduleReconnect();
      scheduleIdleCheck();
      emitState();
      events.emit({ type: 'sync' });
    },

    async unlock(password) {
      const current = session;
      if (current === null) throw new IpcError('NOT_SIGNED_IN', 'Sign in first');
      if (!current.locked) return;
      const cached = credentials.find(current.user.username);
      if (cached === null) throw new IpcError('OFFLINE_LOGIN_UNAVAILABLE', 'No verifier cached');
      await checkPassword(cached, password);
      current.locked = false;
      current.lastActivityAt = clock.now();
      scheduleIdleCheck();
      emitState();
    },

    lock() {
      if (session === null || session.locked) return;
      session.locked = true;
      idleTimer?.();
      idleTimer = null;
      emitState();
    },

    async logout() {
      await endSession();
      emitState();
      events.emit({ type: 'sync' });
    },

    touch() {
      if (session !== null && !session.locked) session.lastActivityAt = clock.now();
    },

    idleTimeChanged() {
      scheduleIdleCheck();
    },

    authorize(access) {
      if (access === 'public') return null;
      const current = session;
      if (current === null) return new IpcError('NOT_SIGNED_IN', 'Sign in first');
      if (!current.locked && clock.now() - current.lastActivityAt >= idleMs()) {
        // The timer may not have fired yet (a suspended laptop): lock on the spot.
        current.locked = true;
        emitState();
      }
      if (current.locked) return new IpcError('LOCKED', 'The screen is locked');
      if (access === 'session') return null;
      return permissionsFor(current.user.role).includes(access)
        ? null
        : new IpcError('PERMISSION_DENIED', `${current.user.role} may not ${access}`);
    },

    async syncNow() {
      await session?.sync?.engine.syncNow();
    },

    notifyLocalWrite() {
      session?.sync?.engine.notifyLocalWrite();
    },

    async close() {
      const current = session;
      session = null;
      idleTimer?.();
      stopReconnect();
      await current?.sync?.stop();
    },
  };
}
