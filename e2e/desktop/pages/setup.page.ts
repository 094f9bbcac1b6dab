/** First run: the connect form, the approval wait and the admin's sign-in there. */
import type { Page } from 'playwright-core';

export class SetupPage {
  constructor(readonly page: Page) {}

  /** Fills the connect form (the server address is prefilled by the host) and registers. */
  async connect(clinicSlug: string, deviceName: string): Promise<void> {
    await this.page.getByRole('heading', { name: 'Connect this computer to your clinic' }).waitFor();
    await this.page.getByLabel('Clinic code').fill(clinicSlug);
    await this.page.getByLabel('Name of this computer').fill(deviceName);
    await this.page.getByRole('button', { name: 'Connect and register' }).click();
  }

  /** Waits on the "waiting for approval" screen. */
  async waitForApprovalScreen(): Promise<void> {
    await this.page.getByRole('heading', { name: 'Waiting for approval' }).waitFor();
  }

  /** A clinic admin signs in on the waiting screen, which approves this computer. */
  async adminSignsIn(username: string, password: string): Promise<void> {
    await this.page.getByText('Are you a clinic admin?').click();
    await this.page.getByLabel('Username').fill(username);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in and approve' }).click();
  }
}
