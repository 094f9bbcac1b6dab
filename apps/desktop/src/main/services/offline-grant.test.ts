import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyOfflineGrant } from './offline-grant';

const server = generateKeyPairSync('ed25519');
const forger = generateKeyPairSync('ed25519');
const publicPem = server.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const ids = {
  userId: '0193a1b2-0000-7000-8000-000000000001',
  clinicId: '0193a1b2-0000-7000-8000-000000000002',
  deviceId: '0193a1b2-0000-7000-8000-000000000003',
};
const issued = Date.parse('2026-11-28T04:00:00.000Z');

function grant(key: KeyObject, patch: Record<string, unknown> = {}): string {
  const payload = {
    v: 1,
    kind: 'offline-grant',
    sub: ids.userId,
    username: 'pooja.shinde',
    role: 'receptionist',
    clinicId: ids.clinicId,
    deviceId: ids.deviceId,
    iat: new Date(issued).toISOString(),
    exp: new Date(issued + 72 * 3_600_000).toISOString(),
    ...patch,
  };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${sign(null, Buffer.from(body), key).toString('base64url')}`;
}

describe('offline grant', () => {
  it('accepts a grant signed by the pinned key for this user, clinic and device', () => {
    const result = verifyOfflineGrant(grant(server.privateKey), publicPem, ids, issued + 3_600_000);
    expect(result).toMatchObject({ ok: true, payload: { username: 'pooja.shinde' } });
  });

  it('refuses a grant signed by any other key, even one that travels with it', () => {
    expect(verifyOfflineGrant(grant(forger.privateKey), publicPem, ids, issued)).toEqual({
      ok: false,
      problem: 'bad_signature',
    });
  });

  it('refuses a grant whose payload was edited after signing', () => {
    const [body, signature] = grant(server.privateKey).split('.');
    const edited = JSON.parse(Buffer.from(body ?? '', 'base64url').toString());
    edited.role = 'admin';
    const token = `${Buffer.from(JSON.stringify(edited)).toString('base64url')}.${signature}`;
    expect(verifyOfflineGrant(token, publicPem, ids, issued)).toMatchObject({
      ok: false,
      problem: 'bad_signature',
    });
  });

  it('refuses an expired grant', () => {
    expect(
      verifyOfflineGrant(grant(server.privateKey), publicPem, ids, issued + 72 * 3_600_000),
    ).toMatchObject({
      ok: false,
      problem: 'expired',
    });
  });

  it('refuses a grant lasting longer than 72 hours', () => {
    const long = grant(server.privateKey, { exp: new Date(issued + 73 * 3_600_000).toISOString() });
    expect(verifyOfflineGrant(long, publicPem, ids, issued)).toMatchObject({
      ok: false,
      problem: 'too_long',
    });
  });

  it('refuses a grant for another device, user or clinic', () => {
    const token = grant(server.privateKey);
    for (const other of [
      { ...ids, deviceId: '0193a1b2-0000-7000-8000-0000000000ff' },
      { ...ids, userId: '0193a1b2-0000-7000-8000-0000000000ff' },
      { ...ids, clinicId: '0193a1b2-0000-7000-8000-0000000000ff' },
    ]) {
      expect(verifyOfflineGrant(token, publicPem, other, issued)).toMatchObject({
        ok: false,
        problem: 'wrong_subject',
      });
    }
  });

  it('refuses malformed tokens', () => {
    for (const token of ['', 'abc', 'a.b.c', '.sig', `${Buffer.from('{}').toString('base64url')}.`]) {
      expect(verifyOfflineGrant(token, publicPem, ids, issued).ok).toBe(false);
    }
  });
});
