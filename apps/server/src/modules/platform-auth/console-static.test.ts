import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorsPlugin } from '../../plugins/errors.plugin';
import { CONSOLE_BUILD_HINT, consoleDistDir, consoleStaticPlugin } from './console-static.plugin';

let dir: string;
let app: FastifyInstance;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'console-dist-'));
  app = Fastify({ logger: false });
  await app.register(errorsPlugin);
  await app.register(consoleStaticPlugin, { prefix: '/console', dir });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (url: string) => app.inject({ method: 'GET', url });

describe('serving the console', () => {
  it('answers a 503 page saying how to build it while the build is missing, then serves it without a restart', async () => {
    const missing = await get('/console/');
    expect(missing.statusCode).toBe(503);
    expect(missing.headers['content-type']).toMatch(/^text\/html/);
    expect(missing.headers['cache-control']).toBe('no-store');
    expect(missing.body).toContain(CONSOLE_BUILD_HINT);
    expect((await get('/console/clinics/abc')).statusCode).toBe(503);

    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    const index = await get('/console/');
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('id="root"');
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.headers.etag).toBeDefined();
  });

  it('answers every client route with index.html, hashed assets as immutable, and a missing file with a plain 404', async () => {
    for (const url of [
      '/console',
      '/console/clinics',
      '/console/clinics/0b7c/devices',
      '/console/audit?action=x',
    ]) {
      const res = await get(url);
      expect({ url, status: res.statusCode, root: res.body.includes('id="root"') }).toEqual({
        url,
        status: 200,
        root: true,
      });
    }
    const asset = await get('/console/assets/index-abc123.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await get('/console/favicon.svg')).headers['cache-control']).toBe('no-cache');

    const gone = await get('/console/assets/index-old999.js');
    expect(gone.statusCode).toBe(404);
    expect(gone.headers['cache-control']).toBeUndefined();
    expect(gone.json().error.code).toBe('NOT_FOUND');
    expect((await get('/console/..%2f..%2fpackage.json')).statusCode).toBe(404);
  });

  it('sends a strict Content-Security-Policy and hardening headers on every console answer', async () => {
    for (const url of ['/console/', '/console/assets/index-abc123.js', '/console/overview']) {
      const h = (await get(url)).headers;
      const csp = String(h['content-security-policy']);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(h['x-content-type-options']).toBe('nosniff');
      expect(h['x-frame-options']).toBe('DENY');
    }
  });
});

describe('consoleDistDir', () => {
  it('is apps/console/dist of the checkout unless CLINICDESK_CONSOLE_DIR names another folder', () => {
    expect(consoleDistDir({})).toBe(path.resolve(import.meta.dirname, '../../../../console/dist'));
    expect(consoleDistDir({ CLINICDESK_CONSOLE_DIR: '/srv/console' })).toBe('/srv/console');
  });
});
