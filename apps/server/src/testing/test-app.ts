import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app';
import { type Config, loadConfig } from '../config';
import type { AccessClaims } from '../plugins/auth.plugin';
import { createTestDatabase, type TestDatabase } from './test-database';

/**
 * A real server on a fresh database for one test file, plus helpers that seed through the owner
 * connection (the platform path) and mint access tokens the way login will.
 */
export type TestApp = {
  app: FastifyInstance;
  tdb: TestDatabase;
  config: Config;
  /** Creates a clinic (platform path) and returns its id. */
  createClinic(fields?: Partial<{ code: string; slug: string; name: string }>): Promise<string>;
  /** Creates a clinic user and returns claims for a token of theirs. */
  createUser(clinicId: string, role: Exclude<AccessClaims['role'], 'super_admin'>): Promise<AccessClaims>;
  /** A bearer header for the given claims. */
  auth(claims: AccessClaims): { authorization: string };
  close(): Promise<void>;
};

let counter = 0;

/** Builds the app exactly as production does, on a throwaway database, with logging off. */
export async function createTestApp(
  env: Record<string, string | undefined> = {},
  opts: { appPoolSize?: number; setup?: (app: FastifyInstance) => void } = {},
): Promise<TestApp> {
  const tdb = await createTestDatabase(opts);
  const config = { ...loadConfig({ NODE_ENV: 'test', ...env }), database: tdb.config };
  const app = await buildApp({ config, db: tdb.db, logger: false });
  opts.setup?.(app);
  await app.ready();
  return {
    app,
    tdb,
    config,
    async createClinic(fields = {}) {
      counter += 1;
      const id = randomUUID();
      const tag = `${counter}${Math.random().toString(36).slice(2, 6)}`.toUpperCase();
      await tdb.db.owner
        .insertInto('clinics')
        .values({
          id,
          code: fields.code ?? `C${tag}`.slice(0, 8),
          slug: fields.slug ?? `clinic-${tag.toLowerCase()}`,
          name: fields.name ?? `Clinic ${tag}`,
          logo_url: null,
          max_patients: null,
          max_doctors: null,
          max_receptionists: null,
          max_lab_techs: null,
        })
        .execute();
      return id;
    },
    async createUser(clinicId, role) {
      const id = randomUUID();
      await tdb.db.owner
        .insertInto('users')
        .values({
          clinic_id: clinicId,
          id,
          username: `${role.replace('_', '')}-${id.slice(0, 8)}`,
          display_name: `${role} ${id.slice(0, 4)}`,
          role,
          password_hash: null,
        })
        .execute();
      return { sub: id, clinicId, role, deviceId: null, sid: randomUUID() };
    },
    auth(claims) {
      return { authorization: `Bearer ${app.signAccessToken(claims)}` };
    },
    async close() {
      await app.close();
      await tdb.drop();
    },
  };
}
