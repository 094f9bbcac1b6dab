/** The sign-in and lock screens. */
import type { Page } from 'playwright-core';

export class SignInPage {
  constructor(readonly page: Page) {}

  async waitForSignIn(timeout = 15_000): Promise<void> {
    await this.page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout });
  }

  async signIn(username: string, password: string): Promise<void> {
    await this.page.getByLabel('Username').fill(username);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  async waitForLock(timeout = 20_000): Promise<void> {
    await this.page.getByRole('heading', { name: 'Screen locked' }).waitFor({ timeout });
  }

  async unlock(password: string): Promise<void> {
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Unlock' }).click();
  }

  /** The error shown after a failed attempt. */
  error() {
    return this.page.getByRole('alert');
  }
}
