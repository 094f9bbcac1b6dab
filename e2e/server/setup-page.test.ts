import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { superAdminSession } from '../../apps/server/src/testing/sessions';
import { createTestApp, type TestApp } from '../../apps/server/src/testing/test-app';
import { launchChromium } from '../support/browser';

let t: TestApp;
let browser: Browser;
let url: string;

beforeAll(async () => {
  t = await createTestApp();
  url = await t.app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('one-time setup link', () => {
  it('lets a new clinic admin choose a password once, then sign in', async () => {
    const root = await superAdminSession(t.app, t.tdb.db);
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/clinics',
      headers: root.headers,
      payload: {
        name: 'Shanti Clinic',
        code: 'SHNT',
        slug: 'shanti',
        city: 'Nashik',
        admin: { username: 'shanti.admin', displayName: 'Sunita Patil' },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const link: string = created.json().setupLink.url;
    expect(link).toContain('/setup#token=');
    const path = link.slice(link.indexOf('/setup'));

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${url}${path}`);
    expect(page.url()).not.toContain('token=');
    await page.getByLabel('New password').fill('a calm harbour 2026');
    await page.getByLabel('Type it again').fill('a calm harbour 2026');
    await page.getByRole('button', { name: 'Set password' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain('Password set for shanti.admin');
    expect(errors).toEqual([]);

    const login = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { clinicSlug: 'shanti', username: 'shanti.admin', password: 'a calm harbour 2026' },
    });
    expect(login.statusCode).toBe(200);

    // The link works once.
    const again = await browser.newPage();
    await again.goto(`${url}${path}`);
    await again.getByLabel('New password').fill('another password 99');
    await again.getByLabel('Type it again').fill('another password 99');
    await again.getByRole('button', { name: 'Set password' }).click();
    await expect.poll(() => again.getByRole('status').textContent()).not.toContain('Password set');
  });
});
