/**
 * The desktop reception desk end to end, in Chromium through the web host, against a real server
 * (PGlite by default, PostgreSQL when DATABASE_URL is set) seeded with the demo clinics:
 * enrolment and approval, sign-in and first sync, registration with the duplicate warning,
 * check-in and the token slip, the queue on a second desk updating live, an identity correction
 * whose reason reaches the server's audit, working offline while
 * the server is down and syncing when it is back, offline sign-in, the idle lock, a capacity
 * refusal in the sync centre, an expired clinic turning read-only, the three languages, and an
 * accessibility scan of every screen.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { DeskPage } from './pages/desk.page';
import { SetupPage } from './pages/setup.page';
import { SignInPage } from './pages/sign-in.page';
import { DeskBrowser, SCREENSHOTS } from './support/desk-browser';
import { type Desk, startDesk } from './support/desk-host';
import { approveDevice, DEMO_STAFF_PASSWORD, startTestServer, type TestServer } from './support/test-server';

const CLINIC = 'santkrupa';
let server: TestServer;
let browser: Browser;
let root: string;
let deskA: Desk;
let deskB: Desk;
let a: DeskBrowser;
let b: DeskBrowser;
const tabs: DeskBrowser[] = [];

/** Calls the desk's IPC contract over the web host, as the renderer does. */
async function ipc(desk: Desk, channel: string, args: unknown): Promise<unknown> {
  const response = await fetch(`${desk.origin()}/ipc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-clinicdesk-token': desk.token() },
    body: JSON.stringify(args),
  });
  const envelope = (await response.json()) as { ok: boolean; value?: unknown; error?: unknown };
  if (!envelope.ok) throw new Error(`${channel} failed: ${JSON.stringify(envelope.error)}`);
  return envelope.value;
}

async function santkrupa(): Promise<{ id: string }> {
  return server.tdb.db.owner
    .selectFrom('clinics')
    .select('id')
    .where('slug', '=', CLINIC)
    .executeTakeFirstOrThrow();
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'clinicdesk-e2e-desk-'));
  [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
  [deskA, deskB] = await Promise.all([
    startDesk(root, 'reception-1', server.url),
    startDesk(root, 'reception-2', server.url),
  ]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await deskA?.close();
  await deskB?.close();
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

// A failed step leaves a picture of every open tab behind, to see what the desk showed.
afterEach(async (context) => {
  if (context.task.result?.state !== 'fail') return;
  const name = context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
  await Promise.all(
    tabs.map((tab, index) => tab.page.screenshot({ path: join(SCREENSHOTS, `failed-${name}-${index}.png`) })),
  );
});

describe('desktop reception', () => {
  it('enrols a computer, waits for approval, signs in and finishes the first sync', async () => {
    a = await DeskBrowser.open(browser, deskA.url());
    tabs.push(a);
    const setup = new SetupPage(a.page);
    await a.page.getByRole('heading', { name: 'Connect this computer to your clinic' }).waitFor();
    await a.capture('01-connect');
    await setup.connect(CLINIC, 'Reception PC 1');
    await setup.waitForApprovalScreen();
    await a.capture('02-waiting-for-approval');

    await approveDevice(server, CLINIC, 'Reception PC 1');
    const signIn = new SignInPage(a.page);
    await signIn.waitForSignIn();
    await a.capture('03-sign-in');
    await signIn.signIn('pooja.shinde', 'wrong password');
    await expect(signIn.error().textContent()).resolves.toContain('Username or password is wrong');
    await signIn.signIn('pooja.shinde', DEMO_STAFF_PASSWORD);
    const desk = new DeskPage(a.page);
    await desk.waitForDesk();
    // When the live stream opens after the first sync, the engine runs one catch-up cycle
    // ("Syncing…"); the desk is online once that settles.
    await desk.waitForStatus('Online');
    await a.capture('04-queue-empty');
  }, 60_000);

  it('registers a patient, warns about a likely duplicate, and checks them in with a token slip', async () => {
    const desk = new DeskPage(a.page);
    await desk.openRegistration();
    await expect(desk.capacityLine().textContent()).resolves.toMatch(/0 of 5,000 patients/);
    await desk.fillPatient({
      firstName: 'Asha',
      lastName: 'Pawar',
      sex: 'female',
      ageYears: 34,
      phone: '98220 12345',
      city: 'Kothrud',
    });
    await desk.registerAndOpenCheckIn();
    await a.scan('05-profile-check-in');
    const token = await desk.checkIn('Fever since two days', 'Dr. Sneha Kulkarni');
    expect(token).toBe('001');
    await a.capture('06-token-slip');
    await desk.closeSlip();

    await desk.openRegistration();
    await desk.fillPatient({
      firstName: 'Aasha',
      lastName: 'Pawar',
      sex: 'female',
      ageYears: 35,
      city: 'Kothrud',
    });
    await desk.duplicateWarning().waitFor();
    await expect(desk.duplicateWarning().textContent()).resolves.toContain('Similar name and age');
    await a.capture('07-register-duplicate-warning');
    // Saving without looking is refused; ticking the box registers knowingly.
    await a.page.getByRole('button', { name: 'Register only' }).click();
    await expect(a.page.getByRole('alert').textContent()).resolves.toContain('may already be registered');
    await desk.acknowledgeDuplicates();
    await a.page.getByRole('button', { name: 'Register only' }).click();
    await a.page.getByRole('heading', { name: 'Aasha Pawar' }).waitFor();

    await desk.search('pawar');
    await expect(desk.searchResults().count()).resolves.toBe(2);
    await a.capture('08-patient-search');
  }, 60_000);

  it('shows the check-in on a second desk, where a clinic admin approved it by signing in', async () => {
    b = await DeskBrowser.open(browser, deskB.url());
    tabs.push(b);
    const setup = new SetupPage(b.page);
    await setup.connect(CLINIC, 'Reception PC 2');
    await setup.waitForApprovalScreen();
    await setup.adminSignsIn('admin', DEMO_STAFF_PASSWORD);
    const deskViewB = new DeskPage(b.page);
    await deskViewB.waitForDesk();
    await deskViewB.queueEntry('Asha Pawar').waitFor({ timeout: 5000 });

    // A check-in at desk A reaches desk B's open queue through the server's live poke.
    const deskViewA = new DeskPage(a.page);
    await deskViewA.search('aasha');
    await deskViewA.searchResults().first().click();
    await a.page.keyboard.press('Alt+I');
    const started = Date.now();
    await deskViewA.checkIn('Follow-up', 'Dr. Aniket Joshi');
    await deskViewA.closeSlip();
    await deskViewB.queueEntry('Aasha Pawar').waitFor({ timeout: 5000 });
    expect(Date.now() - started).toBeLessThan(5000);
    await b.capture('09-queue-second-desk');
  }, 60_000);

  it('books appointments without double booking', async () => {
    const desk = new DeskPage(a.page);
    await desk.openAppointments();
    const book = async (time: string) => {
      await a.page.getByLabel('Patient *').fill('Asha');
      await a.page
        .getByRole('list', { name: 'Search results' })
        .getByRole('button', { name: /Asha Pawar/ })
        .click();
      await desk.chooseDoctor('Dr. Sneha Kulkarni');
      await a.page.getByLabel('Time').fill(time);
      await a.page.getByRole('button', { name: 'Book', exact: true }).click();
    };
    await book('11:00');
    await a.page.getByText('Appointment booked.').waitFor();
    await book('11:05');
    await expect(a.page.getByRole('alert').textContent()).resolves.toContain(
      'already has an appointment from 11:00 to 11:15',
    );
    await a.capture('10-appointments');
  }, 30_000);

  it("corrects a patient's surname with a reason, which reaches the clinic's audit", async () => {
    const desk = new DeskPage(a.page);
    await desk.search('aasha');
    await desk.searchResults().first().click();
    await a.page.getByRole('button', { name: 'Edit', exact: true }).click();
    await a.page.getByLabel('Last name').fill('Pawar-Deshmukh');
    // An identity field changed: the form asks why before it saves.
    await a.page.getByLabel(/Reason for changing name/).fill('Spelling from the Aadhaar card');
    await a.capture('10b-edit-identity-reason');
    await a.page.getByRole('button', { name: 'Save' }).click();
    await a.page.getByRole('heading', { name: 'Aasha Pawar-Deshmukh' }).waitFor();

    const audited = async () => {
      const { rows } = await sql<{
        details: { groups: { ops: { fields?: string[]; reason?: string }[] }[] };
      }>`
        SELECT details FROM audit_events WHERE action = 'sync.push.applied'`.execute(server.tdb.db.owner);
      return rows
        .flatMap((r) => r.details.groups.flatMap((g) => g.ops))
        .filter((op) => op.reason !== undefined);
    };
    await expect.poll(audited, { timeout: 10_000 }).toEqual([
      expect.objectContaining({
        op: 'update',
        entity: 'patient',
        fields: ['lastName'],
        reason: 'Spelling from the Aadhaar card',
      }),
    ]);
  }, 60_000);

  it('keeps working while the server is down and syncs when it is back', async () => {
    const desk = new DeskPage(a.page);
    // The earlier steps' changes are on the server once it has them, but this desk may not have had
    // the answer yet: wait for it, so the count below is of this step's changes only.
    await expect
      .poll(() => desk.pendingCount().textContent(), { timeout: 15_000 })
      .toBe('0 changes waiting to sync');
    await server.stop();
    await desk.openRegistration();
    await desk.fillPatient({
      firstName: 'Kiran',
      lastName: 'Jadhav',
      sex: 'male',
      ageYears: 52,
      city: 'Warje',
    });
    await desk.registerAndOpenCheckIn();
    // The token comes from the block this desk leased while online: no server needed.
    const token = await desk.checkIn('BP check', 'Dr. Sneha Kulkarni');
    expect(token).toMatch(/^\d{3}$/);
    await desk.closeSlip();
    await a.page.getByText('Offline: changes are saved on this computer').waitFor({ timeout: 15_000 });
    await expect(desk.pendingCount().textContent()).resolves.toBe('2 changes waiting to sync');
    await a.capture('11-offline');

    await server.start();
    await desk.openSyncCentre();
    await desk.syncNow();
    await a.page
      .getByText('Everything on this computer has reached the server.')
      .waitFor({ timeout: 15_000 });
    const onServer = await sql<{ patient_code: string }>`
      SELECT patient_code FROM patients WHERE first_name = 'Kiran'`.execute(server.tdb.db.owner);
    expect(onServer.rows[0]?.patient_code).toMatch(/^PT-SANT-\d{4}-\d{4}$/);

    const deskViewB = new DeskPage(b.page);
    await deskViewB.openSyncCentre();
    await deskViewB.syncNow();
    await deskViewB.openQueue();
    await deskViewB.queueEntry('Kiran Jadhav').waitFor({ timeout: 10_000 });
  }, 60_000);

  it('signs in offline with the cached verifier and grant, and goes online when the server returns', async () => {
    const desk = new DeskPage(a.page);
    await desk.signOut();
    const signIn = new SignInPage(a.page);
    await signIn.waitForSignIn();
    await server.stop();
    await signIn.signIn('pooja.shinde', 'not her password');
    await expect(signIn.error().textContent()).resolves.toContain('wrong');
    await signIn.signIn('pooja.shinde', DEMO_STAFF_PASSWORD);
    await desk.waitForDesk();
    await desk.waitForStatus('Signed in offline');
    await a.capture('12-signed-in-offline');
    await server.start();
    await desk.waitForStatus('Online', 30_000);
  }, 60_000);

  it('locks after the idle time and unlocks with the password', async () => {
    await ipc(deskA, 'settings.update', { idleLockSeconds: 10 });
    const signIn = new SignInPage(a.page);
    await signIn.waitForLock(25_000);
    await a.capture('13-locked');
    // While locked the desk's data is refused, whoever asks.
    await expect(ipc(deskA, 'queue.today', {})).rejects.toThrow(/LOCKED/);
    await signIn.unlock(DEMO_STAFF_PASSWORD);
    await new DeskPage(a.page).waitForDesk();
    await ipc(deskA, 'settings.update', { idleLockSeconds: 600 });
  }, 40_000);

  it('shows a refusal for the plan’s patient limit in the sync centre, with the record', async () => {
    const clinic = await santkrupa();
    const counted = await sql<{ count: number }>`
      SELECT count(*)::int AS count FROM patients WHERE clinic_id = ${clinic.id} AND deleted_at IS NULL`.execute(
      server.tdb.db.owner,
    );
    const count = counted.rows[0]?.count ?? 0;
    await server.tdb.db.owner
      .updateTable('clinics')
      .set({ max_patients: Number(count) })
      .where('id', '=', clinic.id)
      .execute();

    const desk = new DeskPage(a.page);
    await desk.openRegistration();
    await desk.fillPatient({
      firstName: 'Meena',
      lastName: 'Gokhale',
      sex: 'female',
      ageYears: 61,
      city: 'Aundh',
    });
    await a.page.getByRole('button', { name: 'Register only' }).click();
    await a.page.getByRole('heading', { name: 'Meena Gokhale' }).waitFor();
    await desk.openSyncCentre();
    await desk.refusedGroups().first().waitFor({ timeout: 15_000 });
    const refusal = desk.refusedGroups().first();
    await expect(refusal.textContent()).resolves.toContain('plan limit was reached');
    await expect(refusal.getByTestId('refused-record').textContent()).resolves.toContain('Meena Gokhale');
    await a.capture('14-sync-centre-refusal');
    await server.tdb.db.owner
      .updateTable('clinics')
      .set({ max_patients: 5000 })
      .where('id', '=', clinic.id)
      .execute();
  }, 40_000);

  it('shows the queue in English, Hindi and Marathi', async () => {
    const desk = new DeskPage(a.page);
    await desk.openQueue();
    await a.capture('15-queue-en');
    await desk.switchLanguage('हिन्दी');
    await a.page.getByRole('heading', { name: 'आज की कतार' }).waitFor();
    await a.capture('16-queue-hi');
    await desk.switchLanguage('मराठी');
    await a.page.getByRole('heading', { name: 'आजची रांग' }).waitFor();
    await a.capture('17-queue-mr');
    await desk.switchLanguage('English');
    await a.page.getByRole('heading', { name: 'Today’s queue' }).waitFor();
  }, 30_000);

  it('turns read-only when the clinic’s subscription has expired', async () => {
    const clinic = await santkrupa();
    await server.tdb.db.owner
      .updateTable('clinics')
      .set({ subscription_status: 'expired' })
      .where('id', '=', clinic.id)
      .execute();
    const desk = new DeskPage(a.page);
    await desk.openSyncCentre();
    await desk.syncNow();
    await desk.readOnlyBanner().waitFor({ timeout: 15_000 });
    await expect(desk.readOnlyBanner().textContent()).resolves.toContain('subscription has expired');
    await desk.openQueue();
    await expect(a.page.getByRole('button', { name: /Check in a patient/ }).isDisabled()).resolves.toBe(true);
    await a.capture('18-read-only');
    await expect(
      ipc(deskA, 'visits.checkIn', {
        patientId: crypto.randomUUID(),
        doctorId: crypto.randomUUID(),
        purpose: '',
      }),
    ).rejects.toThrow(/READ_ONLY|NOT_FOUND/);
  }, 30_000);

  it('has no serious accessibility findings, CSP violations or page errors on any screen', () => {
    expect(tabs.flatMap((tab) => tab.findings)).toEqual([]);
    expect(tabs.flatMap((tab) => tab.problems)).toEqual([]);
  });
});
