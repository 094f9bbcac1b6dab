/**
 * The one place the desktop wires `@clinicdesk/sync-client`: the auth client for enrolment and
 * sign-in, and, per signed-in session, the token keeper, HTTP transport and sync engine over the
 * local store. The engine sees the store through `observedSyncStore`, which reports which kinds of
 * records a pull or a push decision changed, so open screens refresh (a check-in made at another
 * desk shows up here within about a second of the server's live poke).
 */
import { calendarDate, DEFAULT_TIME_ZONE } from '@clinicdesk/domain';
import type { LocalStore } from '@clinicdesk/local-store';
import {
  type AuthClient,
  type Clock,
  createAuthClient,
  createHttpTransport,
  createSyncEngine,
  createTokenKeeper,
  type EngineStatus,
  observeSyncStore,
  type SyncEngine,
  type SyncStore,
  TransportError,
} from '@clinicdesk/sync-client';
import type { LoginResponse, OfflineGrant } from '@clinicdesk/sync-protocol';
import { signingKeyResponseSchema } from '@clinicdesk/sync-protocol';
import { z } from 'zod';

export type { EngineStatus, LoginResponse, OfflineGrant };
export { TransportError };

/** A server this install talks to, before anyone is signed in. */
export interface ServerConnection {
  readonly baseUrl: string;
  /** The fetch every request to this server goes through (tests put a faulty network here). */
  readonly fetch: typeof fetch;
  readonly auth: AuthClient;
  /** Resolves when `/health` answers; rejects with a network TransportError otherwise. */
  health(): Promise<void>;
  /** The server's Ed25519 public key (SPKI PEM) for offline grants. */
  signingKey(): Promise<string>;
  /** The signed-in user's clinic profile (address, phone, time zone) for slips and dates. */
  clinicProfile(accessToken: string): Promise<ClinicProfile>;
}

const text = z
  .string()
  .nullish()
  .transform((value) => (value === '' || value === undefined ? null : value));

/** The clinic profile fields the desktop keeps (`GET /v1/clinic`). */
export const ClinicProfile = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  address: text,
  city: text,
  state: text,
  zip: text,
  phone: text,
  registrationNumber: text,
  letterheadHeader: text,
  letterheadFooter: text,
  timezone: z.string().default('Asia/Kolkata'),
});
export type ClinicProfile = z.infer<typeof ClinicProfile>;

/** Connects to the server at `baseUrl` (no request is made until a method is called). */
export function connectToServer(baseUrl: string, fetchImpl: typeof fetch = fetch): ServerConnection {
  const base = baseUrl.replace(/\/+$/, '');
  const get = async (path: string, headers: Record<string, string> = {}): Promise<unknown> => {
    let response: Response;
    try {
      response = await fetchImpl(`${base}${path}`, { headers, signal: AbortSignal.timeout(10_000) });
    } catch (cause) {
      throw new TransportError('network', `Cannot reach the server: ${String(cause)}`);
    }
    if (!response.ok)
      throw new TransportError(
        response.status >= 500 ? 'network' : 'server',
        `Server answered ${response.status}`,
        { status: response.status },
      );
    return response.json();
  };
  return {
    baseUrl: base,
    fetch: fetchImpl,
    auth: createAuthClient({ baseUrl: base, fetch: fetchImpl, timeoutMs: 15_000 }),
    async health() {
      await get('/health');
    },
    async signingKey() {
      return signingKeyResponseSchema.parse(await get('/v1/auth/signing-key')).publicKey;
    },
    async clinicProfile(accessToken) {
      return ClinicProfile.parse(await get('/v1/clinic', { authorization: `Bearer ${accessToken}` }));
    },
  };
}

/** What changed in the store after a pull page or push decisions: entity names. */
export type RowsChanged = (entities: readonly string[]) => void;

/** The store as the engine sees it, reporting changed entities after each pull page and push result. */
export function observedSyncStore(store: LocalStore, onRowsChanged: RowsChanged): SyncStore {
  return observeSyncStore(store, {
    afterPush(results) {
      const entities = new Set<string>(['sync']);
      for (const result of results) {
        if (result.status === 'applied')
          for (const change of result.changes ?? []) entities.add(change.entity);
      }
      onRowsChanged([...entities]);
    },
    afterPull(page) {
      const entities = new Set(page.runs.map((run) => run.entity));
      // The store records the page's push decisions too: a refusal learned here changes the sync centre.
      if (page.decisions.some((decision) => decision.status === 'refused')) entities.add('sync');
      if (entities.size > 0) onRowsChanged([...entities]);
    },
  });
}

/** A running sync for one signed-in session. */
export interface SessionSync {
  readonly engine: SyncEngine;
  /** The current access token (for logout). */
  accessToken(): string;
  stop(): Promise<void>;
}

export interface StartSyncOptions {
  readonly connection: ServerConnection;
  readonly store: LocalStore;
  readonly tokens: Pick<LoginResponse, 'accessToken' | 'accessTokenExpiresAt' | 'refreshToken'>;
  readonly clock: Clock;
  /** The clinic's time zone, for the queue-token day and patient-code year leased ahead. */
  readonly timeZone: () => string | null;
  readonly onStatus: (status: EngineStatus) => void;
  readonly onRowsChanged: RowsChanged;
  /** A refreshed session brings a new offline grant. */
  readonly onGrant: (grant: OfflineGrant | null) => void;
  /** Changes per pull page (the engine's default when absent). */
  readonly pullLimit?: number;
}

/** Starts the token keeper, transport and engine of a signed-in session. */
export function startSessionSync(options: StartSyncOptions): SessionSync {
  const { connection, clock } = options;
  const keeper = createTokenKeeper({
    auth: connection.auth,
    initial: options.tokens,
    now: () => clock.now(),
    onRotate: (rotated) => options.onGrant(rotated.offlineGrant),
  });
  const transport = createHttpTransport({
    baseUrl: connection.baseUrl,
    auth: keeper,
    fetch: connection.fetch,
  });
  const engine = createSyncEngine({
    store: observedSyncStore(options.store, options.onRowsChanged),
    transport,
    clock,
    ...(options.pullLimit === undefined ? {} : { pullLimit: options.pullLimit }),
    today: () => {
      const date = calendarDate(new Date(clock.now()), options.timeZone() ?? DEFAULT_TIME_ZONE);
      return { date, year: Number(date.slice(0, 4)) };
    },
  });
  const unsubscribe = engine.onStatus(options.onStatus);
  engine.start();
  return {
    engine,
    accessToken: () => keeper.current().accessToken,
    async stop() {
      unsubscribe();
      await engine.stop();
    },
  };
}
