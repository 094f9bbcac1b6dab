/**
 * The `search-ui` benchmark hook works end to end: a desk enrolled by a clinic admin, first sync
 * of a generated clinic, then one timing per keystroke typed into patient search.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureSearchAsYouType, openDeskForBench } from '../../apps/desktop/src';
import { generateClinic } from '../../apps/server/src/generator/clinic-generator';
import { launchChromium } from '../support/browser';
import { DEMO_STAFF_PASSWORD, startTestServer, type TestServer } from './support/test-server';

let server: TestServer;
let browser: Browser;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'clinicdesk-search-ui-'));
  [server, browser] = await Promise.all([startTestServer(), launchChromium()]);
  const clinic = await server.tdb.db.owner
    .selectFrom('clinics')
    .select('id')
    .where('slug', '=', 'santkrupa')
    .executeTakeFirstOrThrow();
  await generateClinic(server.tdb.db.owner, {
    clinicId: clinic.id,
    patients: 300,
    visitsPerPatient: 0,
    seed: 11,
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('search-ui benchmark hook', () => {
  it('times every keystroke from input to rendered results', async () => {
    const desk = await openDeskForBench({
      browser,
      serverUrl: server.url,
      clinicSlug: 'santkrupa',
      username: 'admin',
      password: DEMO_STAFF_PASSWORD,
      dataDir: join(root, 'bench-desk'),
    });
    try {
      const samples = await measureSearchAsYouType(desk.page, ['sun', '98', 'PT-SANT']);
      expect(samples).toHaveLength('sun'.length + '98'.length + 'PT-SANT'.length);
      for (const ms of samples) expect(ms).toBeGreaterThan(0);
      // Generous: a keystroke on 300 patients must not take anywhere near a second.
      expect(Math.max(...samples)).toBeLessThan(1000);
    } finally {
      await desk.close();
    }
  }, 120_000);
});
