/**
 * The headless client as an operator runs it: a real process (`npm run sync-client`'s entry point)
 * against a real server listening on loopback, with a real SQLite file in its data folder.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatPatientCode, uuidv7 } from '@clinicdesk/domain';
import { PROTOCOL_VERSION, SCHEMA_VERSION } from '@clinicdesk/sync-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  type TestApp,
  type TestClinic,
  type TestUser,
} from '../../apps/server/src/testing/test-app';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const entry = join(repoRoot, 'packages/sync-client/src/cli/main.ts');

let t: TestApp;
let url: string;
let dataDir: string;
let clinic: TestClinic;
let admin: TestUser;
let receptionist: TestUser;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the client as its own process, with `stdin` piped in. */
function client(args: readonly string[], stdin = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args, '--data', dataDir], {
      cwd: repoRoot,
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const deviceStatus = async (id: string) =>
  (await t.tdb.db.owner.selectFrom('devices').select('status').where('id', '=', id).executeTakeFirstOrThrow())
    .status;

const deviceFile = () => JSON.parse(readFileSync(join(dataDir, 'device.json'), 'utf8'));

/** Registers patients through another device of the clinic, as a reception PC would. */
async function registerPatients(n: number): Promise<void> {
  const session = await t.login(receptionist);
  const lease = await t.app.inject({
    method: 'POST',
    url: '/v1/sync/leases',
    headers: session.headers,
    payload: {
      protocolVersion: PROTOCOL_VERSION,
      schemaVersion: SCHEMA_VERSION,
      counter: 'patient_code',
      scope: '2026',
      size: n,
    },
  });
  const from: number = lease.json().from;
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/sync/push',
    headers: session.headers,
    payload: {
      protocolVersion: PROTOCOL_VERSION,
      schemaVersion: SCHEMA_VERSION,
      groups: Array.from({ length: n }, (_, i) => ({
        mutationId: randomUUID(),
        seq: i + 1,
        createdAt: t.clock.now.toISOString(),
        ops: [
          {
            op: 'create',
            entity: 'patient',
            id: uuidv7(),
            data: {
              patientCode: formatPatientCode(clinic.code, 2026, from + i),
              firstName: ['Asha', 'Vikram', 'Meera'][i % 3],
              lastName: 'Deshpande',
              ageYears: 30 + i,
              sex: i % 2 === 0 ? 'female' : 'male',
              phone: `+9198765432${String(10 + i).slice(-2)}`,
              registeredBy: receptionist.id,
            },
          },
        ],
      })),
    },
  });
  expect(res.statusCode, res.body).toBe(200);
  expect(
    res.json().results.map((r: { status: string }) => r.status),
    res.body,
  ).toEqual(Array(n).fill('applied'));
}

beforeAll(async () => {
  t = await createTestApp();
  url = await t.app.listen({ host: '127.0.0.1', port: 0 });
  clinic = await t.createClinic();
  admin = await t.createUser(clinic.id, 'admin');
  receptionist = await t.createUser(clinic.id, 'receptionist');
  dataDir = mkdtempSync(join(tmpdir(), 'clinicdesk-cli-'));
});
afterAll(async () => {
  await t?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('headless sync client', () => {
  it('explains its usage and refuses a password on the command line', async () => {
    const none = await client([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('Usage: npm run sync-client');
    const noStdin = await client(['login', '--server', url, '--clinic', clinic.slug, '--username', 'x']);
    expect(noStdin.code).toBe(2);
    expect(noStdin.stderr).toContain('--password-stdin');
    const notSignedIn = await client(['sync', '--once']);
    expect(notSignedIn.code).toBe(4);
    expect(notSignedIn.stderr).toContain('Not signed in');
  });

  it('enrols a device that waits for approval until a clinic admin signs in on it', async () => {
    const login = ['login', '--server', url, '--clinic', clinic.slug, '--password-stdin'];
    const waiting = await client(
      [...login, '--username', receptionist.username],
      `${receptionist.password}\n`,
    );
    expect(waiting.code, waiting.stderr).toBe(3);
    expect(waiting.stdout).toContain("waiting for a clinic admin's approval");
    const { deviceId } = deviceFile();
    expect(await deviceStatus(deviceId)).toBe('pending');

    const wrong = await client([...login, '--username', admin.username], 'not the password\n');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('Sign-in failed');

    const approved = await client([...login, '--username', admin.username], `${admin.password}\n`);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toContain(`Signed in as ${admin.username}`);
    const file = deviceFile();
    expect(file.deviceId).toBe(deviceId);
    expect(file.session).toMatchObject({ username: admin.username, role: 'admin', clinicId: clinic.id });
    expect(JSON.stringify(file)).not.toContain(admin.password);
    expect(statSync(join(dataDir, 'device.json')).mode & 0o077).toBe(0);
    expect(await deviceStatus(deviceId)).toBe('approved');
  });

  it('syncs once, rotating its refresh token, and reports what the device holds', async () => {
    await registerPatients(3);
    const before = deviceFile().session.refreshToken;
    const synced = await client(['sync', '--once', '--page-size', '2']);
    expect(synced.code, synced.stdout + synced.stderr).toBe(0);
    expect(synced.stdout).toContain('Synced; 0 changes pending.');
    expect(synced.stdout).toMatch(/First sync: 2 of \d+ rows \(\d+%\)/);
    expect(synced.stdout).toContain('First sync complete.');
    expect(deviceFile().session.refreshToken).not.toBe(before);

    const status = await client(['status', '--json']);
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout);
    expect(report).toMatchObject({
      clinic: clinic.slug,
      clinicStatus: 'trial',
      patients: 3,
      pending: 0,
      refused: 0,
      readOnly: null,
      firstSync: { status: 'done' },
    });
    expect(report.lastSyncAt).not.toBeNull();

    // More arrive; the next sync pulls only those.
    await registerPatients(2);
    expect((await client(['sync', '--once'])).code).toBe(0);
    const text = await client(['status']);
    expect(text.stdout).toMatch(/Patients here:\s+5/);
    expect(text.stdout).toMatch(/Signed in as:\s+admin/);
  });

  it('keeps syncing with --watch: a change elsewhere arrives through the live stream', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, 'sync', '--watch', '--data', dataDir], {
      cwd: repoRoot,
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await expect.poll(() => stdout, { timeout: 20_000 }).toContain('Watching for changes');
      await registerPatients(1);
      await expect
        .poll(async () => JSON.parse((await client(['status', '--json'])).stdout).patients, {
          timeout: 20_000,
          interval: 500,
        })
        .toBe(6);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stdout).toContain('Synced; 0 changes pending.');
  });

  it('signs out, after which syncing asks for a sign-in and the old token is dead', async () => {
    const { deviceId } = deviceFile();
    const out = await client(['logout']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Signed out');
    expect(deviceFile().session).toBeNull();
    const live = await t.tdb.db.owner
      .selectFrom('sessions')
      .select('id')
      .where('device_id', '=', deviceId)
      .where('revoked_at', 'is', null)
      .execute();
    expect(live).toEqual([]);
    expect((await client(['sync', '--once'])).code).toBe(4);
  });

  it('reports an unreachable server and keeps the device readable offline', async () => {
    const approved = await client(
      ['login', '--server', url, '--clinic', clinic.slug, '--username', admin.username, '--password-stdin'],
      `${admin.password}\n`,
    );
    expect(approved.code).toBe(0);
    await t.app.close();
    const offline = await client(['sync', '--once']);
    expect(offline.code).toBe(1);
    expect(offline.stdout).toContain('Not synced');
    const status = await client(['status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/Patients here:\s+6/);
  });
});
