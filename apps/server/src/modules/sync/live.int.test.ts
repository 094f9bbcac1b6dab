import { randomUUID } from 'node:crypto';
import { formatProvisionalPatientCode, uuidv7 } from '@clinicdesk/domain';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { type Database, openDatabase } from '../../db/database';
import { createTestApp, type TestApp } from '../../testing/test-app';

// Two server replicas on one database: a push through one must poke a device whose event stream
// is held by the other. With PostgreSQL (CI) the poke crosses real connections via NOTIFY.
let t: TestApp;
let second: FastifyInstance;
let secondDb: Database;
let secondUrl: string;

beforeAll(async () => {
  t = await createTestApp();
  secondDb = t.tdb.config.kind === 'postgres' ? await openDatabase(t.tdb.config) : t.tdb.db;
  second = await buildApp({ config: t.config, db: secondDb, logger: false });
  secondUrl = await second.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await second?.close();
  if (t?.tdb.config.kind === 'postgres') await secondDb?.close();
  await t?.close();
});

async function openEvents(url: string, authorization: string) {
  const controller = new AbortController();
  const res = await fetch(`${url}/v1/sync/events`, { headers: { authorization }, signal: controller.signal });
  if (!res.body) throw new Error('no event stream');
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const next = async (event: string, timeoutMs: number): Promise<number> => {
    const started = Date.now();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      while (!buffer.includes(`event: ${event}\n`)) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
      buffer = buffer.slice(buffer.indexOf(`event: ${event}\n`) + event.length + 8);
      return Date.now() - started;
    } finally {
      clearTimeout(timer);
    }
  };
  return { status: res.status, next, close: () => controller.abort() };
}

describe('live pokes across replicas', () => {
  it('pokes a device connected to replica 2 when a change is pushed through replica 1', async () => {
    const clinic = await t.createClinic();
    const other = await t.createClinic();
    const receptionist = await t.createUser(clinic.id, 'receptionist');
    const doctor = await t.createUser(clinic.id, 'doctor');
    const stranger = await t.createUser(other.id, 'doctor');
    const desk = await t.login(receptionist);
    const doctorsPc = await t.login(doctor);
    const strangersPc = await t.login(stranger);

    const stream = await openEvents(secondUrl, doctorsPc.headers.authorization);
    const foreign = await openEvents(secondUrl, strangersPc.headers.authorization);
    expect(stream.status).toBe(200);
    await stream.next('ready', 2000);
    await foreign.next('ready', 2000);

    const push = await t.app.inject({
      method: 'POST',
      url: '/v1/sync/push',
      headers: desk.headers,
      payload: {
        protocolVersion: 1,
        schemaVersion: 1,
        groups: [
          {
            mutationId: randomUUID(),
            seq: 1,
            createdAt: new Date().toISOString(),
            ops: [
              {
                op: 'create',
                entity: 'patient',
                id: uuidv7(),
                data: {
                  patientCode: formatProvisionalPatientCode(clinic.code, 2026, uuidv7()),
                  firstName: 'Meera',
                  ageYears: 40,
                  sex: 'female',
                  registeredBy: receptionist.id,
                },
              },
            ],
          },
        ],
      },
    });
    expect(push.json().results[0].status).toBe('applied');
    const waited = await stream.next('changes', 3000);
    expect(waited).toBeLessThan(3000);
    // Another clinic's device hears nothing.
    await expect(foreign.next('changes', 500)).rejects.toThrow();
    stream.close();
    foreign.close();
  });

  it('refuses the event stream without a token', async () => {
    const res = await fetch(`${secondUrl}/v1/sync/events`);
    expect(res.status).toBe(401);
  });
});
