import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CachedUser,
  offlineBackoffMs,
  offlineWaitMs,
  openOfflineCredentials,
} from './offline-credentials';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const user: CachedUser = {
  userId: '0193a1b2-0000-7000-8000-000000000001',
  username: 'pooja.shinde',
  displayName: 'Pooja Shinde',
  role: 'receptionist',
  clinicId: '0193a1b2-0000-7000-8000-000000000002',
  verifier: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
  grant: { token: 'body.sig', expiresAt: '2026-12-01T00:00:00.000Z' },
  failures: 0,
  lastFailureAt: null,
};

describe('offline sign-in backoff', () => {
  it('allows three attempts, then waits 15 s doubling up to 15 minutes', () => {
    expect([0, 1, 2].map(offlineBackoffMs)).toEqual([0, 0, 0]);
    expect([3, 4, 5, 6].map(offlineBackoffMs)).toEqual([15_000, 30_000, 60_000, 120_000]);
    expect(offlineBackoffMs(20)).toBe(15 * 60_000);
  });

  it('counts the wait from the last failure', () => {
    expect(offlineWaitMs({ failures: 3, lastFailureAt: 1000 }, 1000)).toBe(15_000);
    expect(offlineWaitMs({ failures: 3, lastFailureAt: 1000 }, 11_000)).toBe(5000);
    expect(offlineWaitMs({ failures: 3, lastFailureAt: 1000 }, 16_000)).toBe(0);
  });
});

describe('offline credential cache', () => {
  it('keeps users across restarts in a file only the OS user can read, and never a password', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cd-cred-'));
    dirs.push(dir);
    openOfflineCredentials(dir).save(user);
    const reopened = openOfflineCredentials(dir);
    expect(reopened.find('Pooja.Shinde')).toEqual(user);
    expect(statSync(join(dir, 'offline-credentials.json')).mode & 0o077).toBe(0);
  });

  it('records failures and clears them after a success', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cd-cred-'));
    dirs.push(dir);
    const cache = openOfflineCredentials(dir);
    cache.save(user);
    cache.recordFailure('pooja.shinde', 500);
    expect(cache.recordFailure('pooja.shinde', 900)).toMatchObject({ failures: 2, lastFailureAt: 900 });
    cache.recordSuccess('pooja.shinde');
    expect(openOfflineCredentials(dir).find('pooja.shinde')).toMatchObject({
      failures: 0,
      lastFailureAt: null,
    });
    expect(cache.recordFailure('nobody', 1)).toBeNull();
  });
});
