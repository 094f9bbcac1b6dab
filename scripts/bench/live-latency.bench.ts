/**
 * `live-latency`: reception checks a patient in on one desk; how long until the doctor's desk has
 * the visit in its local store, with both online.
 *
 * Two devices of one clinic (a receptionist's and a doctor's) run the real sync engine with the
 * live event stream (`/v1/sync/events`) open, against a real server on real PostgreSQL, over
 * loopback. For each of 100 changes (full scale) the clock starts as the reception desk writes a
 * check-in through the local store (then tells its engine, as the desktop does) and stops when the
 * doctor's engine has applied the pull page carrying that visit: push, commit, NOTIFY, server-sent
 * poke, pull and apply. Changes are spaced out so each is measured alone. Target: p95 < 1 s.
 */
import { join } from 'node:path';
import { changesOfRuns } from '@clinicdesk/sync-protocol';
import { generateClinic } from '../../apps/server/src/generator/clinic-generator';
import {
  type BenchDevice,
  benchServer,
  enrolDevice,
  percentile,
  progress,
  report,
  scaled,
  syncOnce,
  tempDir,
} from './bench-support';

const ARRIVAL_TIMEOUT_MS = 10_000;
const GAP_MS = 100;

/** Resolves once the device's engine reports the live stream open. */
async function untilLive(device: BenchDevice): Promise<void> {
  const deadline = Date.now() + ARRIVAL_TIMEOUT_MS;
  while (!device.engine.status().live) {
    if (Date.now() > deadline) throw new Error('The live event stream did not open');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function run(): Promise<void> {
  const changes = scaled(100, 10);
  const server = await benchServer();
  const temp = tempDir('clinicdesk-live-');
  const devices: BenchDevice[] = [];
  try {
    const clinic = await generateClinic(server.db.owner, { patients: changes, visitsPerPatient: 0, seed: 9 });
    const receptionist = clinic.staff.find((s) => s.role === 'receptionist');
    const doctor = clinic.staff.find((s) => s.role === 'doctor');
    if (!receptionist || !doctor) throw new Error('The generator made no reception or doctor');

    // The visit the doctor's desk is waiting for, and who to tell when its page is applied.
    let awaited: { id: string; arrived: (at: number) => void } | null = null;
    const reception = await enrolDevice(server, {
      clinicSlug: clinic.slug,
      username: receptionist.username,
      password: clinic.staffPassword,
      file: join(temp.dir, 'reception.sqlite'),
      live: true,
    });
    devices.push(reception);
    const doctorDesk = await enrolDevice(server, {
      clinicSlug: clinic.slug,
      username: doctor.username,
      password: clinic.staffPassword,
      file: join(temp.dir, 'doctor.sqlite'),
      live: true,
      observer: {
        pulled(page) {
          const waiting = awaited;
          if (waiting && changesOfRuns(page.runs).some((c) => c.entity === 'visit' && c.id === waiting.id)) {
            awaited = null;
            waiting.arrived(performance.now());
          }
        },
      },
    });
    devices.push(doctorDesk);
    for (const device of devices) {
      await syncOnce(device.engine);
      device.engine.start();
      await untilLive(device);
    }
    await syncOnce(reception.engine);

    const patientIds = reception.store.sqlite
      .prepare('SELECT id FROM patients ORDER BY id LIMIT ?')
      .pluck()
      .all(changes) as string[];
    const today = new Date().toISOString().slice(0, 10);
    const samples: number[] = [];
    progress(`${changes} check-ins from reception to the doctor's desk`);
    for (const patientId of patientIds) {
      await new Promise((resolve) => setTimeout(resolve, GAP_MS));
      const madeAt = performance.now();
      const { value: visitId } = reception.store.write(
        { userId: reception.userId },
        (w) =>
          w.create('visit', {
            id: w.newId(),
            patientId,
            doctorId: doctorDesk.userId,
            visitDate: today,
            tokenNumber: w.nextQueueToken(doctorDesk.userId, today).tokenNumber,
            purpose: 'Fever since 2 days',
            checkedInAt: new Date().toISOString(),
          }).id,
      );
      const arrivedAt = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('A check-in never reached the doctor')),
          ARRIVAL_TIMEOUT_MS,
        );
        awaited = {
          id: visitId,
          arrived: (at) => {
            clearTimeout(timer);
            resolve(at);
          },
        };
      });
      reception.engine.notifyLocalWrite();
      samples.push((await arrivedAt) - madeAt);
    }

    report('live-latency-changes', String(samples.length));
    report('live-latency-p50-ms', percentile(samples, 50).toFixed(0));
    report('live-latency-p95-ms', percentile(samples, 95).toFixed(0));
    report('live-latency-max-ms', Math.max(...samples).toFixed(0));
  } finally {
    for (const device of devices) await device.close();
    await server.close();
    temp.cleanup();
  }
}
