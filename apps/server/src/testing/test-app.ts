import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app';
import { type Config, loadConfig } from '../config';
import { hashPassword } from '../lib/passwords';
import { hashSecret, randomSecret } from '../lib/secrets';
import type { AccessClaims } from '../plugins/auth.plugin';
import { createTestDatabase, insertClinic, type TestDatabase } from './test-database';

/**
 * A real server on a fresh database for one test file, plus helpers that seed through the owner
 * connection (the platform path) and sign in the way a desktop does.
 */
export type ClinicRole = Exclude<AccessClaims['role'], 'super_admin'>;

export type TestClinic = { id: string; slug: string; code: string };
export type TestUser = { id: string; username: string; password: string; clinicId: string; role: ClinicRole };
export type TestDevice = { deviceId: string; deviceSecret: string };
export type SignedIn = {
  accessToken: string;
  refreshToken: string;
  claims: AccessClaims;
  headers: { authorization: string };
};

export type TestApp = {
  app: FastifyInstance;
  tdb: TestDatabase;
  config: Config;
  /** The clock the app reads; tests move it with `clock.set`. */
  clock: { now: Date; set(at: Date | string): void; advance(ms: number): void };
  createClinic(fields?: Partial<{ code: string; slug: string; name: string }>): Promise<TestClinic>;
  createUser(clinicId: string, role: ClinicRole, password?: string): Promise<TestUser>;
  createDevice(clinicId: string, status?: 'pending' | 'approved' | 'revoked'): Promise<TestDevice>;
  /** Signs a clinic user in through POST /v1/auth/login (with an approved device unless given). */
  login(user: TestUser, device?: TestDevice | null): Promise<SignedIn>;
  close(): Promise<void>;
};

let counter = 0;
export const TEST_PASSWORD = 'correct horse battery staple';

/** Builds the app exactly as production does, on a throwaway database, with logging off. */
export async function createTestApp(
  env: Record<string, string | undefined> = {},
  opts: { appPoolSize?: number; setup?: (app: FastifyInstance) => void } = {},
): Promise<TestApp> {
  const tdb = await createTestDatabase(opts);
  const config = {
    ...loadConfig({
      NODE_ENV: 'test',
      RATE_LIMIT_PER_MINUTE: '100000',
      LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
      ...env,
    }),
    database: tdb.config,
  };
  const clock = {
    now: new Date(),
    set(at: Date | string) {
      clock.now = new Date(at);
    },
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  const app = await buildApp({ config, db: tdb.db, logger: false, now: () => clock.now });
  opts.setup?.(app);
  await app.ready();
  const passwordHash = await hashPassword(TEST_PASSWORD);

  const t: TestApp = {
    app,
    tdb,
    config,
    clock,
    async createClinic(fields = {}) {
      counter += 1;
      const id = randomUUID();
      const tag = `${counter}${Math.random().toString(36).slice(2, 6)}`.toUpperCase();
      const code = fields.code ?? `C${tag}`.slice(0, 8);
      const slug = fields.slug ?? `clinic-${tag.toLowerCase()}`;
      await insertClinic(tdb.db.owner, { id, code, slug, name: fields.name ?? `Clinic ${tag}` });
      return { id, slug, code };
    },
    async createUser(clinicId, role, password) {
      const id = randomUUID();
      const username = `${role.replace('_', '')}-${id.slice(0, 8)}`;
      await tdb.db.owner
        .insertInto('users')
        .values({
          clinic_id: clinicId,
          id,
          username,
          display_name: `${role} ${id.slice(0, 4)}`,
          role,
          password_hash: password ? await hashPassword(password) : passwordHash,
        })
        .execute();
      return { id, username, password: password ?? TEST_PASSWORD, clinicId, role };
    },
    async createDevice(clinicId, status = 'approved') {
      const deviceId = randomUUID();
      const deviceSecret = randomSecret();
      await tdb.db.owner
        .insertInto('devices')
        .values({
          clinic_id: clinicId,
          id: deviceId,
          name: `PC ${deviceId.slice(0, 4)}`,
          status,
          secret_hash: hashSecret(deviceSecret),
          approved_by: null,
        })
        .execute();
      return { deviceId, deviceSecret };
    },
    async login(user, device) {
      const clinic = await tdb.db.owner
        .selectFrom('clinics')
        .select('slug')
        .where('id', '=', user.clinicId)
        .executeTakeFirstOrThrow();
      const dev = device === undefined ? await t.createDevice(user.clinicId) : device;
      const res = await app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: {
          clinicSlug: clinic.slug,
          username: user.username,
          password: user.password,
          ...(dev ? { deviceId: dev.deviceId, deviceSecret: dev.deviceSecret } : {}),
        },
      });
      if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
      const body = res.json();
      const claims = app.jwt.decode<AccessClaims>(body.accessToken);
      if (!claims) throw new Error('login returned an unreadable token');
      return {
        accessToken: body.accessToken,
        refreshToken: body.refreshToken,
        claims,
        headers: { authorization: `Bearer ${body.accessToken}` },
      };
    },
    async close() {
      await app.close();
      await tdb.drop();
    },
  };
  return t;
}
