/*
 * The headless client: a device without a screen. Operators use it to check a server end to end,
 * tests and benchmarks use it to drive a real device, and a clinic can keep a mirror PC in sync.
 *
 * Invariants:
 * - Everything the device knows lives in its data folder: `clinic.sqlite` (the same local store the
 *   desktop uses) and `device.json` (server, clinic, device id and secret, the current refresh
 *   token), written with owner-only permissions and replaced atomically.
 * - The password is never stored; a rotated refresh token is saved before it is used again, so a
 *   crash cannot strand the device with a token the server has already rotated away.
 * - `status` works offline: it reads only the data folder.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { openLocalStore } from '@clinicdesk/local-store';
import { z } from 'zod';
import { createAuthClient, createTokenKeeper } from '../auth-client';
import { type Clock, systemClock } from '../clock';
import { createHttpTransport } from '../http-transport';
import { createSyncEngine, type EngineStatus } from '../sync-engine';
import { TransportError } from '../transport';

export const CLIENT_VERSION = '0.1.0';

const DeviceFile = z.object({
  serverUrl: z.url(),
  clinicSlug: z.string(),
  deviceId: z.uuid(),
  deviceSecret: z.string(),
  session: z
    .object({
      username: z.string(),
      userId: z.uuid(),
      role: z.string(),
      clinicId: z.uuid(),
      refreshToken: z.string(),
    })
    .nullable(),
});
type DeviceFile = z.infer<typeof DeviceFile>;

/** A failure the command reports in plain words, with the process exit code it maps to. */
export class ClientError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Exit codes: 0 done, 1 failed, 2 usage, 3 waiting for a clinic admin's approval, 4 not signed in. */
export const EXIT = { ok: 0, failed: 1, usage: 2, pending: 3, signedOut: 4 } as const;

export interface ClientContext {
  /** The device's data folder. */
  dataDir: string;
  out: (line: string) => void;
  clock?: Clock;
  fetch?: typeof fetch;
}

const deviceFilePath = (dataDir: string) => join(dataDir, 'device.json');
const storePath = (dataDir: string) => join(dataDir, 'clinic.sqlite');

function readDeviceFile(dataDir: string): DeviceFile | null {
  const path = deviceFilePath(dataDir);
  if (!existsSync(path)) return null;
  const parsed = DeviceFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new ClientError(`${path} is damaged; remove it and sign in again`, EXIT.failed);
  return parsed.data;
}

function writeDeviceFile(dataDir: string, file: DeviceFile): void {
  const path = deviceFilePath(dataDir);
  const temp = `${path}.tmp`;
  writeFileSync(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

function describe(error: unknown): string {
  if (error instanceof TransportError) return error.code ? `${error.message} (${error.code})` : error.message;
  return (error as Error).message;
}

export interface LoginOptions {
  serverUrl: string;
  clinicSlug: string;
  username: string;
  password: string;
  deviceName?: string;
}

/**
 * Registers this data folder as a device of the clinic (once) and signs in on it. A clinic admin
 * signing in approves a pending device; anyone else waits for approval (exit code 3).
 */
export async function login(ctx: ClientContext, opts: LoginOptions): Promise<number> {
  mkdirSync(ctx.dataDir, { recursive: true, mode: 0o700 });
  const serverUrl = opts.serverUrl.replace(/\/+$/, '');
  const auth = createAuthClient({ baseUrl: serverUrl, ...(ctx.fetch ? { fetch: ctx.fetch } : {}) });
  let file = readDeviceFile(ctx.dataDir);
  if (file && (file.serverUrl !== serverUrl || file.clinicSlug !== opts.clinicSlug)) {
    throw new ClientError(
      `This folder belongs to clinic "${file.clinicSlug}" on ${file.serverUrl}; use another --data folder`,
      EXIT.usage,
    );
  }
  if (!file) {
    const registered = await auth.registerDevice({
      clinicSlug: opts.clinicSlug,
      name: opts.deviceName ?? `Headless client on ${hostname()}`,
      platform: `${process.platform}-headless`,
      appVersion: CLIENT_VERSION,
    });
    file = {
      serverUrl,
      clinicSlug: opts.clinicSlug,
      deviceId: registered.deviceId,
      deviceSecret: registered.deviceSecret,
      session: null,
    };
    writeDeviceFile(ctx.dataDir, file);
    ctx.out(`Registered device ${file.deviceId} with clinic ${opts.clinicSlug}.`);
  }
  let response: Awaited<ReturnType<typeof auth.login>>;
  try {
    response = await auth.login({
      clinicSlug: opts.clinicSlug,
      username: opts.username,
      password: opts.password,
      deviceId: file.deviceId,
      deviceSecret: file.deviceSecret,
    });
  } catch (error) {
    const reason =
      error instanceof TransportError ? (error.details as { reason?: string } | undefined)?.reason : null;
    if (reason === 'device_pending') {
      ctx.out(
        `Device ${file.deviceId} is waiting for a clinic admin's approval. Ask an admin to approve it, or sign in here as an admin.`,
      );
      return EXIT.pending;
    }
    throw new ClientError(`Sign-in failed: ${describe(error)}`, EXIT.failed);
  }
  const clinicId = response.user.clinicId;
  if (!clinicId) throw new ClientError('Platform accounts cannot sign in on a clinic device', EXIT.usage);
  writeDeviceFile(ctx.dataDir, {
    ...file,
    session: {
      username: response.user.username,
      userId: response.user.id,
      role: response.user.role,
      clinicId,
      refreshToken: response.refreshToken,
    },
  });
  const store = await openLocalStore({ file: storePath(ctx.dataDir) });
  try {
    if (!store.identity()) store.setIdentity({ deviceId: file.deviceId, clinicId });
  } finally {
    await store.close();
  }
  ctx.out(`Signed in as ${response.user.username} (${response.user.role}) on device ${file.deviceId}.`);
  return EXIT.ok;
}

function signedIn(dataDir: string): DeviceFile & { session: NonNullable<DeviceFile['session']> } {
  const file = readDeviceFile(dataDir);
  if (!file?.session) throw new ClientError('Not signed in: run `login` first', EXIT.signedOut);
  return { ...file, session: file.session };
}

export interface SyncOptions {
  /** Keep syncing (live events and a timer) until `signal` aborts; otherwise one cycle. */
  watch: boolean;
  signal?: AbortSignal;
  /** Changes per pull page. */
  pullLimit?: number;
}

/** Pushes pending changes and pulls until up to date, once or until stopped. */
export async function sync(ctx: ClientContext, opts: SyncOptions): Promise<number> {
  const file = signedIn(ctx.dataDir);
  const clock = ctx.clock ?? systemClock();
  const auth = createAuthClient({ baseUrl: file.serverUrl, ...(ctx.fetch ? { fetch: ctx.fetch } : {}) });
  const keeper = createTokenKeeper({
    auth,
    // No access token yet: the first request refreshes, which also proves the session is alive.
    initial: {
      accessToken: '',
      accessTokenExpiresAt: new Date(0).toISOString(),
      refreshToken: file.session.refreshToken,
    },
    now: () => clock.now(),
    onRotate: (tokens) =>
      writeDeviceFile(ctx.dataDir, {
        ...file,
        session: { ...file.session, refreshToken: tokens.refreshToken },
      }),
  });
  const store = await openLocalStore({ file: storePath(ctx.dataDir) });
  const engine = createSyncEngine({
    store,
    transport: createHttpTransport({
      baseUrl: file.serverUrl,
      auth: keeper,
      ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    }),
    clock,
    live: opts.watch,
    ...(opts.pullLimit ? { pullLimit: opts.pullLimit } : {}),
  });
  const printer = progressPrinter(ctx.out);
  const unsubscribe = engine.onStatus(printer);
  const firstSync = !store.cursorState().bootstrapped;
  try {
    engine.start();
    await engine.syncNow();
    if (firstSync && store.cursorState().bootstrapped) ctx.out('First sync complete.');
    if (opts.watch) {
      ctx.out(`Watching for changes (${file.serverUrl}); press Ctrl+C to stop.`);
      await new Promise<void>((resolve) => {
        if (opts.signal?.aborted) resolve();
        opts.signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    }
    const status = engine.status();
    ctx.out(summary(status));
    if (status.lastError?.kind === 'server' && status.lastError.code === 'UNAUTHORIZED')
      return EXIT.signedOut;
    return status.lastError ? EXIT.failed : EXIT.ok;
  } finally {
    unsubscribe();
    await engine.stop();
    await store.close();
  }
}

/** Prints first-sync progress at most once per whole percent, and each error once. */
function progressPrinter(out: (line: string) => void) {
  let lastPercent = -1;
  let lastError: string | null = null;
  return (status: EngineStatus) => {
    if (status.progress && status.progress.total > 0) {
      const percent = Math.floor((status.progress.done / status.progress.total) * 100);
      if (percent !== lastPercent) {
        lastPercent = percent;
        out(`First sync: ${status.progress.done} of ${status.progress.total} rows (${percent}%)`);
      }
    }
    const error = status.lastError ? `${status.lastError.message}` : null;
    if (error && error !== lastError) out(`Sync failed: ${error}`);
    lastError = error;
  };
}

function summary(status: EngineStatus): string {
  const parts = [
    status.lastError ? `Not synced: ${status.lastError.message}` : 'Synced',
    `${status.pending} change${status.pending === 1 ? '' : 's'} pending`,
  ];
  if (status.readOnly) parts.push(`read-only (${status.readOnly})`);
  return `${parts.join('; ')}.`;
}

export interface DeviceStatusReport {
  server: string;
  clinic: string;
  clinicStatus: string | null;
  deviceId: string;
  signedInAs: string | null;
  pending: number;
  refused: number;
  cursor: number;
  lastSyncAt: string | null;
  firstSync: { status: string; rowsDone: number; rowsTotal: number | null };
  readOnly: string | null;
  leaseExpiresAt: string | null;
  lastError: string | null;
  patients: number;
}

/** What the device knows, from its data folder only (no network). */
export async function status(ctx: ClientContext, opts: { json: boolean }): Promise<number> {
  const file = readDeviceFile(ctx.dataDir);
  if (!file) throw new ClientError(`No device in ${ctx.dataDir}: run \`login\` first`, EXIT.signedOut);
  const store = await openLocalStore({ file: storePath(ctx.dataDir) });
  let report: DeviceStatusReport;
  try {
    const state = store.syncState();
    const info = store.clinicInfo();
    const patients = store.sqlite
      .prepare('SELECT count(*) AS n FROM patients WHERE deleted_at IS NULL')
      .get() as { n: number };
    report = {
      server: file.serverUrl,
      clinic: file.clinicSlug,
      clinicStatus: info.status ?? null,
      deviceId: file.deviceId,
      signedInAs: file.session ? `${file.session.username} (${file.session.role})` : null,
      pending: store.pendingCount(),
      refused: store.inbox().length,
      cursor: state.cursor,
      lastSyncAt: state.lastSyncAt,
      firstSync: state.bootstrap,
      readOnly: state.readOnly?.reason ?? null,
      leaseExpiresAt: info.leaseExpiresAt,
      lastError: state.lastError ? JSON.stringify(state.lastError) : null,
      patients: patients.n,
    };
  } finally {
    await store.close();
  }
  if (opts.json) {
    ctx.out(JSON.stringify(report, null, 2));
    return EXIT.ok;
  }
  const first = report.firstSync;
  const lines: [string, string][] = [
    ['Server', report.server],
    ['Clinic', `${report.clinic}${report.clinicStatus ? ` (${report.clinicStatus})` : ''}`],
    ['Device', report.deviceId],
    ['Signed in as', report.signedInAs ?? 'nobody'],
    ['Pending changes', String(report.pending)],
    ['Refused changes', String(report.refused)],
    ['Patients here', String(report.patients)],
    ['Last sync', report.lastSyncAt ?? 'never'],
    [
      'First sync',
      first.status === 'done'
        ? 'done'
        : `${first.status}, ${first.rowsDone}${first.rowsTotal ? ` of ${first.rowsTotal}` : ''} rows`,
    ],
    ['Read-only', report.readOnly ?? 'no'],
    ['Licence lease until', report.leaseExpiresAt ?? 'none yet'],
  ];
  if (report.lastError) lines.push(['Last error', report.lastError]);
  for (const [label, value] of lines) ctx.out(`${`${label}:`.padEnd(21)}${value}`);
  return EXIT.ok;
}

/** Ends the session on the server (best effort when offline) and forgets the refresh token. */
export async function logout(ctx: ClientContext): Promise<number> {
  const file = signedIn(ctx.dataDir);
  const auth = createAuthClient({ baseUrl: file.serverUrl, ...(ctx.fetch ? { fetch: ctx.fetch } : {}) });
  try {
    const refreshed = await auth.refresh(file.session.refreshToken);
    await auth.logout(refreshed.accessToken);
    ctx.out(`Signed out ${file.session.username}.`);
  } catch (error) {
    ctx.out(`Could not reach the server to end the session (${describe(error)}); forgetting it here.`);
  }
  writeDeviceFile(ctx.dataDir, { ...file, session: null });
  return EXIT.ok;
}
