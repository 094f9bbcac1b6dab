import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../apps/server/src/modules/auth/totp';
import { ClinicPage, ConsoleBrowser, EnrolPage, LoginPage, WizardPage } from './console.pages';
import { type ConsoleServer, seedPlatform, startConsoleServer } from './console-fixture';

/**
 * The super-admin console in Chromium against the real server: first sign-in and authenticator
 * enrolment, sign-in with a code, a clinic created through the wizard, suspended and reactivated
 * (its admin's session stops and starts again), a limit lowered (the API then refuses the create),
 * devices and staff support actions, the audit log listing every step, and the idle sign-out.
 * Every screen is scanned with axe and photographed into artifacts/screenshots/console/.
 */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

let server: ConsoleServer;
let browser: Browser;
let context: BrowserContext;
let b: ConsoleBrowser;
let totpSecret = '';
let clinic = { id: '', slug: '', code: '', setupUrl: '' };
let adminAuth = { authorization: '' };

const inject = (method: 'GET' | 'POST', url: string, headers?: { authorization: string }, payload?: object) =>
  server.t.app.inject({ method, url, ...(headers ? { headers } : {}), ...(payload ? { payload } : {}) });

async function clinicAdminLogin(password: string) {
  return inject('POST', '/v1/auth/login', undefined, {
    clinicSlug: clinic.slug,
    username: 'admin',
    password,
  });
}

const ADMIN_PASSWORD = 'tulsi garden morning walk';

beforeAll(async () => {
  server = await startConsoleServer();
  await seedPlatform(server.t);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
  b = new ConsoleBrowser(await context.newPage(), server.baseUrl);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('super-admin console', () => {
  it('serves the console with a strict CSP and forces authenticator enrolment at the first sign-in', async () => {
    const shell = await fetch(`${server.baseUrl}/console/clinics`);
    expect(shell.status).toBe(200);
    expect(shell.headers.get('content-security-policy')).not.toMatch(/unsafe-inline|unsafe-eval/);

    await b.open('/');
    await b.capture('01-login');
    await new LoginPage(b).signIn(server.superAdmin.username, server.superAdmin.password);
    await b.heading('Set up your authenticator').waitFor();
    const enrol = new EnrolPage(b);
    totpSecret = await enrol.secret();
    expect(totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    await b.page.getByRole('img', { name: /QR code/ }).waitFor();
    await b.capture('02-totp-enrolment');
    await enrol.confirm(totpCode(totpSecret, new Date()));
    await b.heading('Platform overview').waitFor();
  }, 60_000);

  it('signs in again with a code, and shows the platform overview', async () => {
    await b.page.getByRole('button', { name: 'Sign out' }).click();
    await b.page.getByText('You have signed out.').waitFor();
    const login = new LoginPage(b);
    await login.signIn(server.superAdmin.username, server.superAdmin.password);
    // A code works once: the one that confirmed enrolment is spent, so take the next step's code
    // (still inside the one-step drift the server allows).
    await login.enterCode(totpCode(totpSecret, new Date(Date.now() + 30_000)));
    await b.heading('Platform overview').waitFor();
    await b.page.getByRole('img', { name: /Patients registered per month/ }).waitFor();
    await b.page.getByRole('heading', { name: 'Sync errors, last 24 h' }).waitFor();
    await b.page.getByRole('heading', { name: 'Clinics near their limits' }).waitFor();
    await b.capture('03-overview');
  }, 60_000);

  it('filters, searches, sorts and pages the clinics table on the server', async () => {
    await b.nav('Clinics').click();
    await b.heading('Clinics').waitFor();
    await b.page.getByText('Showing 1–50 of 64').waitFor();
    await b.capture('04-clinics', { fullPage: false });
    await b.page.getByRole('button', { name: 'Next' }).click();
    await b.page.getByText('Showing 51–64 of 64').waitFor();
    await b.page.getByLabel('Status').selectOption('suspended');
    await b.page.getByText('Showing 1–8 of 8').waitFor();
    await b.page.getByLabel('Search').fill('Lotus');
    await b.page.getByText(/Showing 1–\d+ of \d+/).waitFor();
    await expect.poll(() => b.page.url()).toContain('q=Lotus');
    // The address changes before the answer for it arrives: wait for the rows, not the address.
    const rows = b.page.locator('table.clinics-table tbody tr');
    await expect
      .poll(async () => {
        const texts = await rows.allTextContents();
        return texts.length > 0 && texts.every((text) => /Lotus[\s\S]*Suspended/.test(text));
      })
      .toBe(true);
    await b.page.getByRole('button', { name: 'Created' }).click();
    await expect.poll(() => b.page.url()).toContain('sort=created');
  }, 60_000);

  it('creates a clinic through the wizard and shows its one-time setup link once', async () => {
    await b.nav('New clinic').click();
    await b.heading('New clinic').waitFor();
    const wizard = new WizardPage(b);
    await wizard.profile({ name: 'Vasant Family Clinic', city: 'Pune' });
    const identity = await wizard.acceptSuggestedIdentity();
    expect(identity).toEqual({ code: 'VFC', slug: 'vasant-family-clinic' });
    await b.capture('05-wizard-code-and-slug');
    await wizard.next();
    await b.capture('06-wizard-limits');
    await wizard.limits({ 'Max doctors': '3', 'Max patients': '500' });
    await wizard.firstAdmin('Dr. Anita Kulkarni');
    await b.capture('07-wizard-review');
    const setupUrl = await wizard.create();
    expect(setupUrl).toContain('/setup#token=');
    await b.capture('08-wizard-setup-link');

    // The clinic admin uses the link and signs in through the API: a live clinic session.
    const fragment = new URLSearchParams(new URL(setupUrl).hash.slice(1));
    clinic = { id: '', slug: fragment.get('clinic') ?? '', code: identity.code, setupUrl };
    const redeemed = await inject('POST', '/v1/staff/setup-password', undefined, {
      clinicSlug: clinic.slug,
      token: fragment.get('token'),
      newPassword: ADMIN_PASSWORD,
    });
    expect(redeemed.statusCode, redeemed.body).toBe(200);
    const login = await clinicAdminLogin(ADMIN_PASSWORD);
    expect(login.statusCode).toBe(200);
    adminAuth = { authorization: `Bearer ${login.json().accessToken}` };
    clinic.id = login.json().user.clinicId;
    expect((await inject('GET', '/v1/clinic/', adminAuth)).statusCode).toBe(200);

    await b.page.getByRole('link', { name: 'Open the clinic page' }).click();
    await b.heading('Vasant Family Clinic').waitFor();
    await b.page.getByRole('img', { name: /Patients registered and visits per month/ }).waitFor();
    await b.capture('09-clinic-summary');
  }, 60_000);

  it('suspends the clinic with a reason (its admin is shut out), then reactivates it', async () => {
    const page = new ClinicPage(b);
    await page.tab('Subscription & limits');
    await page.changeStatus('suspended', 'Invoice 2026-114 unpaid for 60 days');
    const shutOut = await inject('GET', '/v1/clinic/', adminAuth);
    expect([401, 403]).toContain(shutOut.statusCode);
    expect(['CLINIC_SUSPENDED', 'UNAUTHORIZED']).toContain(shutOut.json().error.code);
    expect((await clinicAdminLogin(ADMIN_PASSWORD)).json().error.code).toBe('CLINIC_SUSPENDED');
    await b.page.getByRole('cell', { name: 'Invoice 2026-114 unpaid for 60 days' }).waitFor();
    await b.capture('10-clinic-suspended');

    await page.changeStatus('active', 'Payment received by bank transfer');
    const back = await clinicAdminLogin(ADMIN_PASSWORD);
    expect(back.statusCode).toBe(200);
    adminAuth = { authorization: `Bearer ${back.json().accessToken}` };
    expect((await inject('GET', '/v1/clinic/', adminAuth)).statusCode).toBe(200);
  }, 60_000);

  it('lowers a limit; a staff create over it is then refused with CAPACITY_EXCEEDED', async () => {
    const page = new ClinicPage(b);
    await page.setLimit('Max receptionists', '1');
    await b.capture('11-clinic-limits');
    const receptionist = (n: number) => ({
      username: `reception${n}`,
      displayName: `Reception ${n}`,
      role: 'receptionist',
    });
    expect((await inject('POST', '/v1/clinic/staff', adminAuth, receptionist(1))).statusCode).toBe(201);
    const refused = await inject('POST', '/v1/clinic/staff', adminAuth, receptionist(2));
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('CAPACITY_EXCEEDED');
  }, 60_000);

  it('edits the letterhead, revokes a device and resets the clinic admin access', async () => {
    const page = new ClinicPage(b);
    await page.tab('Profile & letterhead');
    await b.page
      .getByLabel('Header')
      .fill('Vasant Family Clinic · 12 FC Road, Pune 411004 · Reg. MH/PUN/2026/118');
    await b.page.getByRole('button', { name: 'Save profile' }).click();
    await b.page.getByText('Profile saved.').waitFor();
    await b.capture('12-clinic-profile');

    const device = await server.t.createDevice(clinic.id);
    await server.t.tdb.db.owner
      .updateTable('devices')
      .set({ name: 'Reception PC', app_version: '1.4.2', platform: 'win32', last_sync_at: new Date() })
      .where('id', '=', device.deviceId)
      .execute();
    await page.tab('Devices');
    await b.page.getByRole('button', { name: 'Revoke Reception PC' }).click();
    await b.page.getByRole('alertdialog', { name: 'Revoke Reception PC?' }).waitFor();
    await b.capture('13-device-revoke-confirm');
    await b.page.getByRole('button', { name: 'Revoke device' }).click();
    await b.page.getByText('Reception PC is revoked').waitFor();
    await b.capture('14-clinic-devices');

    await page.tab('Staff');
    await b.page.getByRole('button', { name: /Reset access of Dr\. Anita Kulkarni/ }).click();
    await b.page.getByRole('button', { name: 'Reset access', exact: true }).click();
    const dialog = b.page.getByRole('dialog', { name: 'New setup link for admin' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('One-time setup link').inputValue()).toContain('/setup#token=');
    await b.capture('15-reset-access-link');
    await dialog.getByRole('button', { name: 'I have copied it' }).click();
    expect((await inject('GET', '/v1/clinic/', adminAuth)).statusCode).toBe(401);
    await b.capture('16-clinic-staff');
  }, 60_000);

  it('lists every step in the platform audit log, with all chains verified intact', async () => {
    await b.nav('Audit log').click();
    await b.heading('Audit log').waitFor();
    await b.page.getByText(/All \d+ audit chains are intact/).waitFor();
    // The chain check and the log page load separately: wait for the rows before reading them.
    const cells = b.page.locator('table.audit-table tbody tr td:nth-child(3)');
    await cells.first().waitFor();
    const actions = await cells.allTextContents();
    for (const action of [
      'auth.totp.enrolment_started',
      'auth.totp.enabled',
      'auth.login.succeeded',
      'clinic.created',
      'clinic.status.changed',
      'clinic.updated',
      'device.revoked',
      'clinic.admin.access_reset',
    ]) {
      expect(actions, action).toContain(action);
    }
    expect(actions.filter((a) => a === 'clinic.status.changed')).toHaveLength(2);
    await b.capture('17-audit-log');

    await b.page.getByLabel('Action starts with').fill('clinic.status');
    await b.page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => b.page.locator('table.audit-table tbody tr').count()).toBe(2);
  }, 60_000);

  it('warns after 14 idle minutes and signs out at 15', async () => {
    await b.page.clock.install();
    await b.page.reload();
    await b.heading('Audit log').waitFor();
    await b.page.clock.fastForward('14:02');
    await b.page.getByRole('alertdialog', { name: 'Still there?' }).waitFor();
    await b.capture('18-idle-warning');
    await b.page.clock.fastForward('01:00');
    await b.page.getByText('You were signed out after 15 minutes without activity.').waitFor();
    expect(await b.page.evaluate(() => window.sessionStorage.length + window.localStorage.length)).toBe(0);
  }, 60_000);

  it('found no serious or critical accessibility problem, CSP violation or page error', () => {
    expect(b.findings).toEqual([]);
    expect(b.problems).toEqual([]);
  });
});
