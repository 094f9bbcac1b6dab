import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { build } from 'vite';
import { hashPassword } from '../../apps/server/src/lib/passwords';
import { createTestApp, type TestApp } from '../../apps/server/src/testing/test-app';

/**
 * The console end to end: the console built fresh with Vite into a temporary folder (so a stale
 * `apps/console/dist` can never be what is tested, and a fresh clone needs no build step), the real
 * server on a test database listening on 127.0.0.1, and a super admin created in the database the
 * way an operator would.
 */
export const REPO = path.resolve(import.meta.dirname, '../..');
const CONSOLE_ROOT = path.join(REPO, 'apps/console');

export type ConsoleServer = {
  t: TestApp;
  baseUrl: string;
  superAdmin: { username: string; password: string };
  close(): Promise<void>;
};

/** Builds the console for production into `outDir` (React's production build, as deployed). */
export async function buildConsole(outDir: string): Promise<void> {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: CONSOLE_ROOT,
      configFile: path.join(CONSOLE_ROOT, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

export async function startConsoleServer(): Promise<ConsoleServer> {
  const outDir = mkdtempSync(path.join(tmpdir(), 'clinicdesk-console-'));
  await buildConsole(outDir);
  const previousDir = process.env.CLINICDESK_CONSOLE_DIR;
  process.env.CLINICDESK_CONSOLE_DIR = outDir;
  let t: TestApp;
  try {
    t = await createTestApp();
  } finally {
    if (previousDir === undefined) delete process.env.CLINICDESK_CONSOLE_DIR;
    else process.env.CLINICDESK_CONSOLE_DIR = previousDir;
  }
  // The browser lives in real time (token expiry, TOTP codes), so the server does too.
  Object.defineProperty(t.clock, 'now', { get: () => new Date(), configurable: true });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('server did not listen on a port');

  const superAdmin = { username: 'root.admin', password: 'a long and careful passphrase' };
  await t.tdb.db.owner
    .insertInto('platform_admins')
    .values({
      id: randomUUID(),
      username: superAdmin.username,
      display_name: 'Meera Iyer',
      password_hash: await hashPassword(superAdmin.password),
      totp_secret: null,
    })
    .execute();

  return {
    t,
    baseUrl: `http://127.0.0.1:${address.port}`,
    superAdmin,
    async close() {
      await t.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

const CITIES = [
  'Pune',
  'Mumbai',
  'Nashik',
  'Nagpur',
  'Bengaluru',
  'Chennai',
  'Jaipur',
  'Indore',
  'Kochi',
  'Surat',
];
const KINDS = ['Clinic', 'Health Centre', 'Polyclinic', 'Family Clinic', 'Diagnostics', 'Hospital'];
const NAMES = [
  'Sunrise',
  'Lotus',
  'Ashwini',
  'Sahyadri',
  'Kaveri',
  'Nirmal',
  'Arogya',
  'Shanti',
  'Jeevan',
  'Dhanvantari',
];

/**
 * A platform with some history, so the screens show what they are for: clinics in every status,
 * limits nearly used up, patients and visits across the last months, devices, refused sync groups.
 */
export async function seedPlatform(t: TestApp): Promise<void> {
  const owner = t.tdb.db.owner;
  const statuses = [
    'active',
    'active',
    'trial',
    'active',
    'expired',
    'trial',
    'active',
    'suspended',
  ] as const;
  const now = Date.now();
  for (let i = 0; i < 64; i++) {
    const name = `${NAMES[i % NAMES.length]} ${KINDS[Math.floor(i / NAMES.length) % KINDS.length]}`;
    const clinic = await t.createClinic({
      name,
      code: `K${String(i).padStart(3, '0')}`,
      slug: `seed-clinic-${i}`,
    });
    await owner
      .updateTable('clinics')
      .set({
        city: CITIES[i % CITIES.length] ?? '',
        state: 'Maharashtra',
        plan: i % 3 === 0 ? 'premium' : 'standard',
        subscription_status: statuses[i % statuses.length] ?? 'active',
        trial_ends_at: new Date(now + ((i % 20) - 3) * 86_400_000),
        max_patients: i % 4 === 0 ? null : 20 + (i % 5) * 10,
        max_doctors: i % 2 === 0 ? 3 : 5,
        max_receptionists: 2,
        max_lab_techs: i % 5 === 0 ? 0 : 1,
        created_at: new Date(now - (64 - i) * 5 * 86_400_000),
      })
      .where('id', '=', clinic.id)
      .execute();
    if (i >= 8) continue;
    // A few clinics with staff, patients over the last months, visits and a syncing device.
    const doctor = await t.createUser(clinic.id, 'doctor');
    await t.createUser(clinic.id, 'receptionist');
    const patients = i === 1 ? 29 : 6 + i * 2;
    for (let p = 0; p < patients; p++) {
      const id = randomUUID();
      const created = new Date(now - ((p * 37 + i * 11) % 330) * 86_400_000);
      await sql`INSERT INTO patients (clinic_id, id, patient_code, first_name, sex, age_years, registered_by, created_at)
                VALUES (${clinic.id}, ${id}, ${`PT-K${i}-${p}`}, 'Seed', 'female', 40, ${doctor.id}, ${created})`.execute(
        owner,
      );
      const day = created.toISOString().slice(0, 10);
      await sql`INSERT INTO visits (clinic_id, id, patient_id, doctor_id, visit_date, status, checked_in_at)
                VALUES (${clinic.id}, ${randomUUID()}, ${id}, ${doctor.id}, ${day}, 'done', ${created})`.execute(
        owner,
      );
    }
    const device = await t.createDevice(clinic.id);
    await owner
      .updateTable('devices')
      .set({ app_version: '1.4.2', platform: 'win32', last_sync_at: new Date(now - i * 3_600_000) })
      .where('id', '=', device.deviceId)
      .execute();
    if (i === 2) {
      for (let seq = 1; seq <= 3; seq++) {
        await owner
          .insertInto('sync_groups')
          .values({
            clinic_id: clinic.id,
            mutation_id: randomUUID(),
            device_id: device.deviceId,
            seq,
            status: 'refused',
            code: seq === 3 ? 'CONFLICT' : 'CAPACITY_EXCEEDED',
            message: 'refused',
            result: '{}',
            decided_at: new Date(now - seq * 3_600_000),
          })
          .execute();
      }
    }
  }
}
