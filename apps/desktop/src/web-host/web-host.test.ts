import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../main/security/content-security-policy';
import { type AppServices, createAppServices } from '../main/services/app-services';
import { startWebHost, TOKEN_HEADER, type WebHost } from './web-host';

let dir: string;
let services: AppServices;
let host: WebHost;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clinicdesk-web-host-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>ClinicDesk</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'not for the browser');
  services = await createAppServices({ dataDir: join(dir, 'data'), host: 'web' });
  host = await startWebHost({ services, rendererDir });
});

afterAll(async () => {
  await host.close();
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

function call(
  channel: string,
  body: unknown,
  headers: Record<string, string> = { [TOKEN_HEADER]: host.token },
) {
  return fetch(`${host.origin}/ipc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** A raw GET, because fetch normalises paths and refuses to set Host. */
function rawGet(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const { port } = new URL(host.origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += String(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('web host', () => {
  it('serves the IPC contract to callers with the launch token', async () => {
    const response = await call('app.state', {});
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, value: { phase: 'setup', host: 'web' } });
    expect(host.url).toBe(`${host.origin}/#token=${host.token}`);
  });

  it('validates arguments exactly like Electron IPC', async () => {
    const response = await call('settings.update', { language: 'klingon' });
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENTS' } });
  });

  it('refuses calls without the token or with a wrong one', async () => {
    expect((await call('app.state', {}, {})).status).toBe(401);
    expect((await call('app.state', {}, { [TOKEN_HEADER]: `${host.token}x` })).status).toBe(401);
    expect((await call('app.state', {}, { [TOKEN_HEADER]: 'short' })).status).toBe(401);
  });

  it('refuses pages of other origins even with the token', async () => {
    const response = await call(
      'app.state',
      {},
      { [TOKEN_HEADER]: host.token, origin: 'https://evil.example' },
    );
    expect(response.status).toBe(403);
  });

  it('refuses requests for another host name (DNS rebinding)', async () => {
    const response = await rawGet('/index.html', { host: 'evil.example' });
    expect(response.status).toBe(421);
  });

  it('serves the renderer with the production CSP and falls back to index.html', async () => {
    const index = await fetch(`${host.origin}/patients/123`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await index.text()).toContain('<title>ClinicDesk</title>');
    const script = await fetch(`${host.origin}/assets/app.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
  });

  it('never serves files outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/.env']) {
      const response = await rawGet(path);
      expect(response.body).not.toContain('not for the browser');
    }
  });

  it('streams app events to token holders', async () => {
    const controller = new AbortController();
    const response = await fetch(`${host.origin}/events`, {
      headers: { [TOKEN_HEADER]: host.token },
      signal: controller.signal,
    });
    const reader = response.body?.getReader();
    if (reader === undefined) throw new Error('no event stream');
    await call('settings.update', { language: 'hi' });
    let text = '';
    while (!text.includes('"type":"state"')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(text).toContain('data: {"type":"state"}');
    expect((await fetch(`${host.origin}/events`)).status).toBe(401);
  });
});
