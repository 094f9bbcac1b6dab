/**
 * A real ClinicDesk server for the desktop end-to-end tests: the production app on a throwaway
 * database (PGlite in memory, or a fresh database on DATABASE_URL's PostgreSQL), seeded with the
 * demo clinics, listening on a real port. It can be stopped and started again on the same port
 * and database, which is what "the server goes away and comes back" looks like to a desk.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../apps/server/src/app';
import { DEMO_STAFF_PASSWORD, seedDemo } from '../../../apps/server/src/cli/seed-demo';
import { loadConfig } from '../../../apps/server/src/config';
import { createTestDatabase, type TestDatabase } from '../../../apps/server/src/testing/test-database';

export { DEMO_STAFF_PASSWORD };

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly tdb: TestDatabase;
  /** The running app (changes after a restart). */
  app(): FastifyInstance;
  /** Stops listening; devices see the server as unreachable. */
  stop(): Promise<void>;
  /** Listens again on the same port and database. */
  start(): Promise<void>;
  /** Stops and drops the database. */
  close(): Promise<void>;
}

/** Starts the server with the demo clinics (`santkrupa`, `sunrise`) and their staff. */
export async function startTestServer(): Promise<TestServer> {
  const tdb = await createTestDatabase();
  const config = {
    ...loadConfig({
      NODE_ENV: 'test',
      RATE_LIMIT_PER_MINUTE: '100000',
      LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    }),
    database: tdb.config,
  };
  await seedDemo(tdb.db, { publicUrl: 'http://127.0.0.1' });
  let app: FastifyInstance | null = null;
  let port = 0;
  const start = async () => {
    const next = await buildApp({ config, db: tdb.db, logger: false });
    await next.listen({ host: '127.0.0.1', port });
    const address = next.server.address();
    if (address === null || typeof address === 'string') throw new Error('server has no port');
    port = address.port;
    app = next;
  };
  await start();
  const stop = async () => {
    const running = app;
    app = null;
    await running?.close();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    tdb,
    app() {
      if (app === null) throw new Error('The test server is stopped');
      return app;
    },
    stop,
    start,
    async close() {
      await stop();
      await tdb.drop();
    },
  };
}

/** Approves a pending device as the clinic admin would, through the API. */
export async function approveDevice(
  server: TestServer,
  clinicSlug: string,
  deviceName: string,
): Promise<void> {
  const login = await fetch(`${server.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clinicSlug, username: 'admin', password: DEMO_STAFF_PASSWORD }),
  });
  if (!login.ok) throw new Error(`admin login failed: ${login.status} ${await login.text()}`);
  const { accessToken } = (await login.json()) as { accessToken: string };
  const headers = { authorization: `Bearer ${accessToken}` };
  const list = (await (await fetch(`${server.url}/v1/devices`, { headers })).json()) as {
    devices: { id: string; name: string; status: string }[];
  };
  const device = list.devices.find(
    (candidate) => candidate.name === deviceName && candidate.status === 'pending',
  );
  if (device === undefined) throw new Error(`No pending device named ${deviceName}`);
  const approved = await fetch(`${server.url}/v1/devices/${device.id}/approve`, { method: 'POST', headers });
  if (!approved.ok) throw new Error(`approve failed: ${approved.status} ${await approved.text()}`);
}
