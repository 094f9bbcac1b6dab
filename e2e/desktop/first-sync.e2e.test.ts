/**
 * The first sync downloads a realistic clinic page by page, and survives the app stopping midway:
 * the network fails after a few pages, the app closes, and when it opens again the progress it
 * shows continues from the rows already stored, the pull resumes from its cursor (not from 0),
 * and every row arrives exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type AppServices, createAppServices } from '../../apps/desktop/src/main/services/app-services';
import { connectToServer } from '../../apps/desktop/src/main/services/sync-client.adapter';
import { generateClinic } from '../../apps/server/src/generator/clinic-generator';
import { DEMO_STAFF_PASSWORD, startTestServer, type TestServer } from './support/test-server';

const PAGE = 100;
let server: TestServer;
let root: string;
let serverPatients: number;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'clinicdesk-first-sync-'));
  server = await startTestServer();
  const clinic = await server.tdb.db.owner
    .selectFrom('clinics')
    .select('id')
    .where('slug', '=', 'santkrupa')
    .executeTakeFirstOrThrow();
  await generateClinic(server.tdb.db.owner, {
    clinicId: clinic.id,
    patients: 120,
    visitsPerPatient: 1,
    seed: 7,
  });
  const counted = await sql<{ count: number }>`
    SELECT count(*)::int AS count FROM patients WHERE clinic_id = ${clinic.id}`.execute(server.tdb.db.owner);
  serverPatients = counted.rows[0]?.count ?? 0;
}, 120_000);

afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

/** Services of one install whose requests go through `fetchImpl`. */
function open(fetchImpl: typeof fetch): Promise<AppServices> {
  return createAppServices({
    dataDir: join(root, 'desk'),
    host: 'web',
    pullLimit: PAGE,
    connect: (url) => connectToServer(url, fetchImpl),
    log: () => undefined,
  });
}

describe('first sync', () => {
  it('resumes after a restart midway, continuing its progress and cursor', async () => {
    // First run: the network goes away after three pull pages.
    let pulls = 0;
    const failing: typeof fetch = async (input, init) => {
      if (String(input).includes('/v1/sync/pull') && ++pulls > 3) throw new TypeError('fetch failed');
      return fetch(input, init);
    };
    const first = await open(failing);
    await first.handlers['setup.connect']({
      serverUrl: server.url,
      clinicSlug: 'santkrupa',
      deviceName: 'Front desk',
    });
    // A clinic admin signing in on the waiting computer approves it.
    await first.handlers['session.login']({ username: 'admin', password: DEMO_STAFF_PASSWORD });
    const stopped = await vi.waitFor(
      async () => {
        const view = await first.handlers['sync.status']({});
        if (view.lastError?.kind !== 'network') throw new Error('still pulling');
        return view;
      },
      { timeout: 30_000, interval: 100 },
    );
    expect(stopped.firstSync).toMatchObject({ done: false, rowsDone: 3 * PAGE });
    expect(stopped.firstSync.rowsTotal).toBeGreaterThan(3 * PAGE);
    expect(stopped.firstSync.percent).toBeGreaterThan(0);
    await first.close();

    // Second run: before anyone signs in, the first-sync screen already shows the stored progress.
    const cursors: number[] = [];
    const watching: typeof fetch = async (input, init) => {
      const match = /\/v1\/sync\/pull\?cursor=(\d+)/.exec(String(input));
      if (match) cursors.push(Number(match[1]));
      return fetch(input, init);
    };
    const second = await open(watching);
    expect((await second.handlers['sync.status']({})).firstSync).toMatchObject({
      done: false,
      rowsDone: 3 * PAGE,
    });
    await second.handlers['session.login']({ username: 'admin', password: DEMO_STAFF_PASSWORD });
    const finished = await vi.waitFor(
      async () => {
        const view = await second.handlers['sync.status']({});
        if (!view.firstSync.done) throw new Error(`at ${view.firstSync.rowsDone}`);
        return view;
      },
      { timeout: 60_000, interval: 200 },
    );
    expect(finished.firstSync.percent).toBe(100);
    expect(cursors[0]).toBeGreaterThan(0);
    // Every patient is on this computer exactly once (every code carries the "PT" prefix).
    const found = await second.handlers['patients.search']({ query: 'PT', limit: 200 });
    expect(serverPatients).toBeGreaterThan(100);
    expect(new Set(found.map((patient) => patient.id)).size).toBe(serverPatients);
    expect(found).toHaveLength(serverPatients);
    await second.close();
  }, 120_000);
});
