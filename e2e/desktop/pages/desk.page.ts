/**
 * The signed-in desk: navigation, status bar, queue, patients (search, registration, profile,
 * check-in, token slip), appointments and the sync centre.
 */
import type { Locator, Page } from 'playwright-core';

export interface NewPatient {
  firstName: string;
  lastName: string;
  sex: 'male' | 'female' | 'other';
  ageYears: number;
  phone?: string;
  city?: string;
}

export class DeskPage {
  constructor(readonly page: Page) {}

  /** Waits for the desk (after the first sync) to show the queue. */
  async waitForDesk(timeout = 30_000): Promise<void> {
    await this.page.getByRole('heading', { name: 'Today’s queue' }).waitFor({ timeout });
  }

  connectionStatus(): Locator {
    return this.page.getByTestId('connection-status');
  }

  /** Waits until the status bar shows exactly `status` (a sync cycle may be settling first). */
  async waitForStatus(status: string, timeout = 10_000): Promise<void> {
    await this.connectionStatus()
      .filter({ hasText: new RegExp(`^${status.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) })
      .waitFor({ timeout });
  }

  pendingCount(): Locator {
    return this.page.getByTestId('pending-count');
  }

  readOnlyBanner(): Locator {
    return this.page.getByTestId('read-only-banner');
  }

  async openQueue(): Promise<void> {
    await this.page.keyboard.press('Alt+Q');
    await this.page.getByRole('heading', { name: 'Today’s queue' }).waitFor();
  }

  /** Queue rows (all doctors) whose text includes `text`. */
  queueEntry(text: string): Locator {
    return this.page.getByTestId('queue-entry').filter({ hasText: text });
  }

  async openRegistration(): Promise<void> {
    await this.page.keyboard.press('Alt+N');
    await this.page.getByRole('heading', { name: 'Register a patient' }).waitFor();
  }

  async fillPatient(patient: NewPatient): Promise<void> {
    await this.page.getByLabel('First name *').fill(patient.firstName);
    await this.page.getByLabel('Last name').fill(patient.lastName);
    await this.page.getByLabel('Sex *').selectOption(patient.sex);
    await this.page.getByLabel('Age (years)').fill(String(patient.ageYears));
    await this.page.getByLabel('Mobile number').fill(patient.phone ?? '');
    await this.page.getByLabel('City / village').fill(patient.city ?? '');
  }

  duplicateWarning(): Locator {
    return this.page.getByTestId('duplicate-warning');
  }

  capacityLine(): Locator {
    return this.page.getByTestId('capacity-line');
  }

  async acknowledgeDuplicates(): Promise<void> {
    await this.page.getByLabel('I have checked: this is a different patient. Register anyway.').check();
  }

  /** Registers and lands on the new profile with the check-in form open. */
  async registerAndOpenCheckIn(): Promise<void> {
    await this.page.getByRole('button', { name: 'Register and check in' }).click();
    await this.page.getByRole('heading', { name: 'Check in', exact: true }).waitFor();
  }

  /** Checks the open patient in with `purpose` (first doctor unless named) and returns the slip's token. */
  async checkIn(purpose: string, doctor?: string): Promise<string> {
    if (doctor !== undefined) await this.chooseDoctor(doctor);
    await this.page.getByLabel('Purpose of visit').fill(purpose);
    await this.page.getByRole('button', { name: 'Check in and give token' }).click();
    const slip = this.page.getByTestId('token-slip');
    await slip.waitFor();
    return ((await slip.locator('.slip-token').textContent()) ?? '').trim();
  }

  /** Picks a doctor in the form's Doctor select by name (options also show the specialisation). */
  async chooseDoctor(name: string): Promise<void> {
    const select = this.page.getByLabel('Doctor');
    const value = await select.locator('option', { hasText: name }).getAttribute('value');
    if (value === null) throw new Error(`No doctor ${name}`);
    await select.selectOption(value);
  }

  async closeSlip(): Promise<void> {
    await this.page.getByRole('button', { name: 'Close' }).click();
  }

  async search(query: string): Promise<void> {
    await this.page.keyboard.press('Alt+P');
    const box = this.page.getByRole('combobox', { name: 'Search patients' });
    await box.fill('');
    await box.pressSequentially(query);
    await this.page.locator(`[data-results-for="${query}"]`).waitFor();
  }

  searchResults(): Locator {
    return this.page.getByRole('listbox', { name: 'Search results' }).getByRole('option');
  }

  async openSyncCentre(): Promise<void> {
    await this.page.keyboard.press('Alt+S');
    await this.page.getByRole('heading', { name: 'Sync centre' }).waitFor();
  }

  async syncNow(): Promise<void> {
    await this.page.getByRole('button', { name: 'Sync now' }).click();
  }

  refusedGroups(): Locator {
    return this.page.getByTestId('refused-group');
  }

  async openAppointments(): Promise<void> {
    await this.page.keyboard.press('Alt+A');
    await this.page.getByRole('heading', { name: 'Appointments' }).waitFor();
  }

  async signOut(): Promise<void> {
    await this.page.locator('.user-menu summary').click();
    await this.page.getByRole('button', { name: 'Sign out' }).click();
  }

  async switchLanguage(label: 'English' | 'हिन्दी' | 'मराठी'): Promise<void> {
    await this.page.locator('.desk-header .language-switch select').selectOption({ label });
  }
}
