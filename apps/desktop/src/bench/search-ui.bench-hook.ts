/**
 * Benchmark hook for `search-ui`: how long reception waits between a keystroke in the patient
 * search box and the results for what is now typed being on screen. Measured inside the page:
 * from the input event (the key's effect) to the next animation frame after the results list says
 * it shows that query (`data-results-for`), so the figure covers IPC or HTTP, the store's search
 * and React's render, and not the test driver. One keystroke at a time: each is measured alone.
 *
 *   const desk = await openDeskForBench({ browser, serverUrl, clinicSlug, username, password, dataDir });
 *   const samples = await measureSearchAsYouType(desk.page, ['sunita', '98220', 'PT-SANT']);
 *   await desk.close();
 */
import type { Browser, Page } from 'playwright-core';
import { type AppServices, createAppServices } from '../main/services/app-services';
import { ensureRendererBuilt } from '../web-host/build-renderer';
import { startWebHost, type WebHost } from '../web-host/web-host';

const TIMINGS = '__clinicdeskSearchTimings';

export interface BenchDeskOptions {
  readonly browser: Browser;
  readonly serverUrl: string;
  readonly clinicSlug: string;
  /** A clinic admin: signing in on the new computer approves it, so no second actor is needed. */
  readonly username: string;
  readonly password: string;
  /** An empty folder for this computer's data. */
  readonly dataDir: string;
  /** How long to wait for the first sync (default 10 minutes). */
  readonly firstSyncTimeoutMs?: number;
}

export interface BenchDesk {
  readonly page: Page;
  readonly services: AppServices;
  readonly host: WebHost;
  close(): Promise<void>;
}

/** Starts a desk (web host), enrols and signs it in, waits for its first sync and opens patient search. */
export async function openDeskForBench(options: BenchDeskOptions): Promise<BenchDesk> {
  const rendererDir = await ensureRendererBuilt();
  const services = await createAppServices({ dataDir: options.dataDir, host: 'web', log: () => undefined });
  const host = await startWebHost({ services, rendererDir });
  await services.handlers['setup.connect']({
    serverUrl: options.serverUrl,
    clinicSlug: options.clinicSlug,
    deviceName: 'Benchmark desk',
  });
  await services.handlers['session.login']({ username: options.username, password: options.password });
  const deadline = Date.now() + (options.firstSyncTimeoutMs ?? 600_000);
  while (!(await services.handlers['sync.status']({})).firstSync.done) {
    if (Date.now() > deadline) throw new Error('The first sync did not finish in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const page = await options.browser.newPage({ viewport: { width: 1366, height: 860 } });
  await page.goto(host.url);
  await page.locator('.desk').waitFor();
  await page.keyboard.press('Alt+P');
  await page.locator('#patient-search').waitFor();
  return {
    page,
    services,
    host,
    async close() {
      await page.close();
      await host.close();
      await services.close();
    },
  };
}

/** Types each query into the patient search one key at a time; returns milliseconds per keystroke. */
export async function measureSearchAsYouType(page: Page, queries: readonly string[]): Promise<number[]> {
  await page.evaluate((key) => {
    const input = document.getElementById('patient-search');
    const results = document.querySelector('[data-testid="patient-results"]');
    if (!(input instanceof HTMLInputElement) || results === null)
      throw new Error('Open patient search first');
    const timings: number[] = [];
    const started = new Map<string, number>();
    Reflect.set(window, key, timings);
    // Clearing the box between queries is not a search: only non-empty values are timed.
    input.addEventListener(
      'input',
      () => input.value !== '' && started.set(input.value, performance.now()),
      true,
    );
    new MutationObserver(() => {
      const shown = results.getAttribute('data-results-for') ?? '';
      const at = started.get(shown);
      if (at === undefined) return;
      started.delete(shown);
      requestAnimationFrame(() => timings.push(performance.now() - at));
    }).observe(results, { attributes: true, attributeFilter: ['data-results-for'] });
  }, TIMINGS);
  const box = page.locator('#patient-search');
  const count = () => page.evaluate((key) => (Reflect.get(window, key) as number[]).length, TIMINGS);
  for (const query of queries) {
    await box.fill('');
    await page.waitForFunction(() => document.querySelector('[data-results-for=""]') !== null);
    for (const character of query) {
      const before = await count();
      await box.press(character === ' ' ? 'Space' : character);
      await page.waitForFunction(([key, n]) => (Reflect.get(window, key) as number[]).length > n, [
        TIMINGS,
        before,
      ] as const);
    }
  }
  return page.evaluate((key) => [...(Reflect.get(window, key) as number[])], TIMINGS);
}
