/**
 * A browser tab on a desk, with what every end-to-end screen gets: an axe scan (WCAG 2.1 A/AA,
 * serious and critical findings kept) and a screenshot in artifacts/screenshots/desktop. CSP
 * violations and uncaught page errors are collected so the test can fail on them.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
export const SCREENSHOTS = join(REPO, 'artifacts/screenshots/desktop');

export interface AxeFinding {
  readonly screen: string;
  readonly id: string;
  readonly impact: string;
  readonly help: string;
  readonly targets: readonly string[];
}

export class DeskBrowser {
  readonly findings: AxeFinding[] = [];
  readonly problems: string[] = [];

  private constructor(readonly page: Page) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
        this.problems.push(message.text());
      }
    });
    page.on('pageerror', (error) => this.problems.push(`page error: ${error.message}`));
  }

  /** Opens a tab on `url` (a desk's address with its token). */
  static async open(browser: Browser, url: string): Promise<DeskBrowser> {
    const context = await browser.newContext({
      viewport: { width: 1366, height: 860 },
      locale: 'en-IN',
      timezoneId: 'Asia/Kolkata',
    });
    const page = await context.newPage();
    await page.goto(url);
    return new DeskBrowser(page);
  }

  /** Scans the screen as it is now. */
  async scan(screen: string): Promise<void> {
    const result = await new AxeBuilder({ page: this.page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    for (const violation of result.violations) {
      if (violation.impact === 'serious' || violation.impact === 'critical') {
        this.findings.push({
          screen,
          id: violation.id,
          impact: violation.impact,
          help: violation.help,
          targets: violation.nodes.map((node) => node.target.join(' ')),
        });
      }
    }
  }

  /** Scan and screenshot. */
  async capture(screen: string): Promise<void> {
    await this.scan(screen);
    await this.page.screenshot({ path: join(SCREENSHOTS, `${screen}.png`) });
  }
}
