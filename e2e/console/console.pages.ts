import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';
import { REPO } from './console-fixture';

/**
 * Page models of the console: each screen's controls found by role and label, the way a person
 * (or a screen reader) finds them, plus the accessibility scan and the screenshot every screen gets.
 */
export const SCREENSHOTS = path.join(REPO, 'artifacts/screenshots/console');

export type AxeFinding = { screen: string; id: string; impact: string; help: string; targets: string[] };

export class ConsoleBrowser {
  readonly findings: AxeFinding[] = [];
  readonly problems: string[] = [];

  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    // A CSP violation or an uncaught error anywhere fails the run.
    page.on('console', (msg) => {
      const text = msg.text();
      if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(text))
        this.problems.push(text);
    });
    page.on('pageerror', (err) => this.problems.push(`page error: ${err.message}`));
  }

  async open(path = '/'): Promise<void> {
    await this.page.goto(`${this.baseUrl}/console${path}`);
  }

  heading(name: string | RegExp): Locator {
    return this.page.getByRole('heading', { level: 1, name });
  }

  nav(name: string): Locator {
    return this.page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name, exact: true });
  }

  /** Scans the screen with axe (WCAG 2.x A/AA) and keeps every serious or critical finding. */
  async scan(screen: string): Promise<void> {
    const result = await new AxeBuilder({ page: this.page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
      .analyze();
    for (const v of result.violations) {
      if (v.impact === 'serious' || v.impact === 'critical') {
        this.findings.push({
          screen,
          id: v.id,
          impact: v.impact,
          help: v.help,
          targets: v.nodes.map((n) => n.target.join(' ')),
        });
      }
    }
  }

  /** Screenshot and accessibility scan of the screen as it is now. */
  async capture(screen: string, opts: { fullPage?: boolean } = {}): Promise<void> {
    await this.scan(screen);
    await this.page.screenshot({
      path: path.join(SCREENSHOTS, `${screen}.png`),
      fullPage: opts.fullPage ?? true,
    });
  }
}

export class LoginPage {
  constructor(private readonly b: ConsoleBrowser) {}

  async signIn(username: string, password: string): Promise<void> {
    const { page } = this.b;
    await this.b.heading('Sign in to the console').waitFor();
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async enterCode(code: string): Promise<void> {
    await this.b.page.getByLabel(/Authenticator code/).fill(code);
    await this.b.page.getByRole('button', { name: 'Verify and sign in' }).click();
  }
}

export class EnrolPage {
  constructor(private readonly b: ConsoleBrowser) {}

  /** The secret as shown (grouped in fours), without the spaces. */
  async secret(): Promise<string> {
    const text = await this.b.page.getByLabel('Secret key').inputValue();
    return text.replace(/\s+/g, '');
  }

  async confirm(code: string): Promise<void> {
    await this.b.page.getByLabel(/Code from the app/).fill(code);
    await this.b.page.getByRole('button', { name: 'Turn on and continue' }).click();
  }
}

export class WizardPage {
  constructor(private readonly b: ConsoleBrowser) {}

  private get page() {
    return this.b.page;
  }

  async next(): Promise<void> {
    await this.page.getByRole('button', { name: 'Next' }).click();
  }

  async profile(fields: { name: string; city: string }): Promise<void> {
    await this.page.getByRole('textbox', { name: /Clinic name/ }).fill(fields.name);
    await this.page.getByLabel('City').fill(fields.city);
    await this.next();
  }

  /** Waits until the server has said both the suggested code and slug are free. */
  async acceptSuggestedIdentity(): Promise<{ code: string; slug: string }> {
    const code = await this.page.getByRole('textbox', { name: /Clinic code/ }).inputValue();
    const slug = await this.page.getByRole('textbox', { name: /Sign-in slug/ }).inputValue();
    await this.page.getByText(`✓ “${code}” is available.`).waitFor();
    await this.page.getByText(`✓ “${slug}” is available.`).waitFor();
    return { code, slug };
  }

  async limits(
    limits: Partial<Record<'Max patients' | 'Max doctors' | 'Max receptionists', string>>,
  ): Promise<void> {
    for (const [label, value] of Object.entries(limits)) await this.page.getByLabel(label).fill(value);
    await this.next();
  }

  async firstAdmin(name: string): Promise<void> {
    await this.page.getByLabel(/Full name/).fill(name);
    await this.next();
  }

  async create(): Promise<string> {
    await this.page.getByRole('button', { name: 'Create clinic' }).click();
    await this.b.heading('Clinic created').waitFor();
    return this.page.getByLabel('One-time setup link').inputValue();
  }
}

export class ClinicPage {
  constructor(private readonly b: ConsoleBrowser) {}

  private get page() {
    return this.b.page;
  }

  async tab(
    name: 'Summary' | 'Subscription & limits' | 'Profile & letterhead' | 'Staff' | 'Devices',
  ): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Clinic sections' }).getByRole('link', { name }).click();
  }

  async changeStatus(status: 'active' | 'suspended' | 'expired' | 'trial', reason: string): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Change subscription status' });
    await form.getByLabel('New status').selectOption(status);
    await form.getByLabel(/Reason/).fill(reason);
    await form
      .getByRole('button', { name: status === 'suspended' ? 'Suspend clinic' : 'Change status' })
      .click();
    await form
      .getByRole('status')
      .filter({ hasText: `Status changed to ${status}.` })
      .waitFor();
  }

  async setLimit(label: string, value: string): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Plan, limits and dates' });
    await form.getByLabel(label).fill(value);
    await form.getByRole('button', { name: 'Save plan and limits' }).click();
    await form.getByText('Plan and limits saved.').waitFor();
  }
}
