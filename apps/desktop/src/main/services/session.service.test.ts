import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalStore, openLocalStore } from '@clinicdesk/local-store';
import type { AuthClient } from '@clinicdesk/sync-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppEvent } from '../../shared/app-views';
import { type ManualClock, manualClock } from '../../test-support/manual-clock';
import { createEventHub } from './event-hub';
import { openOfflineCredentials } from './offline-credentials';
import { argon2Verifier } from './password-verifier';
import { createSessionService, type SessionService } from './session.service';
import { openSettingsStore } from './settings.store';
import { type LoginResponse, type ServerConnection, TransportError } from './sync-client.adapter';

const keys = generateKeyPairSync('ed25519');
const publicPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const DEVICE = '0193a1b2-0000-7000-8000-00000000d001';
const CLINIC = '0193a1b2-0000-7000-8000-00000000c001';
const USER = '0193a1b2-0000-7000-8000-00000000a001';
const PASSWORD = 'Demo@Clinic2026';

function signedGrant(now: number) {
  const payload = {
    v: 1,
    kind: 'offline-grant',
    sub: USER,
    username: 'pooja.shinde',
    role: 'receptionist',
    clinicId: CLINIC,
    deviceId: DEVICE,
    iat: new Date(now).toISOString(),
    exp: new Date(now + 72 * 3_600_000).toISOString(),
  };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return {
    token: `${body}.${sign(null, Buffer.from(body), keys.privateKey).toString('base64url')}`,
    expiresAt: payload.exp,
    publicKey: publicPem,
  };
}

function loginResponse(now: number): LoginResponse {
  return {
    accessToken: 'access',
    accessTokenExpiresAt: new Date(now + 15 * 60_000).toISOString(),
    refreshToken: 'rt1.refresh-token-value-long-enough',
    user: {
      id: USER,
      username: 'pooja.shinde',
      displayName: 'Pooja Shinde',
      role: 'receptionist',
      clinicId: CLINIC,
    },
    clinic: {
      id: CLINIC,
      code: 'SANT',
      slug: 'santkrupa',
      name: 'Santkrupa Clinic',
      subscriptionStatus: 'active',
      access: 'full',
      accessReason: 'active',
      trialEndsAt: null,
      paidUntil: null,
    },
    offlineGrant: signedGrant(now),
  };
}

let dir: string;
let clock: ManualClock;
let store: LocalStore;
let serverUp: boolean;
let session: SessionService;
let events: AppEvent[];
let settings: ReturnType<typeof openSettingsStore>;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cd-session-'));
  clock = manualClock();
  store = await openLocalStore({ file: join(dir, 'store.sqlite'), now: () => new Date(clock.now()) });
  serverUp = true;
  settings = openSettingsStore(dir);
  settings.update({
    serverUrl: 'http://127.0.0.1:9',
    clinicSlug: 'santkrupa',
    signingKeyPem: publicPem,
    device: { id: DEVICE, secret: 'device-secret-0123456789', name: 'Reception PC 1', status: 'approved' },
  });
  const auth: AuthClient = {
    async login(request) {
      if (!serverUp) throw new TransportError('network', 'connection refused');
      if (request.password !== PASSWORD)
        throw new TransportError('server', 'wrong', { code: 'UNAUTHORIZED', status: 401 });
      return loginResponse(clock.now());
    },
    refresh: async () => {
      throw new TransportError('network', 'offline');
    },
    logout: async () => undefined,
    registerDevice: async () => {
      throw new Error('not used');
    },
    deviceStatus: async () => 'approved',
  };
  const connection: ServerConnection = {
    baseUrl: 'http://127.0.0.1:9',
    fetch,
    auth,
    health: async () => undefined,
    signingKey: async () => publicPem,
    clinicProfile: async () => ({
      id: CLINIC,
      code: 'SANT',
      name: 'Santkrupa Clinic',
      address: 'Karve Road',
      city: 'Pune',
      state: null,
      zip: '411038',
      phone: '+912025431234',
      registrationNumber: null,
      letterheadHeader: null,
      letterheadFooter: null,
      timezone: 'Asia/Kolkata',
    }),
  };
  const hub = createEventHub<AppEvent>();
  events = [];
  hub.subscribe((event) => events.push(event));
  session = createSessionService({
    settings,
    credentials: openOfflineCredentials(dir),
    verifier: argon2Verifier(),
    clock,
    connect: () => connection,
    openStore: async () => store,
    events: hub,
    log: () => undefined,
  });
});

afterEach(async () => {
  await session.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('session', () => {
  it('signs in online, records the clinic in the store and syncs', async () => {
    await session.login('pooja.shinde', PASSWORD);
    expect(session.view()).toMatchObject({ displayName: 'Pooja Shinde', role: 'receptionist' });
    expect(session.signedInOffline()).toBe(false);
    expect(store.identity()).toEqual({ deviceId: DEVICE, clinicId: CLINIC });
    expect(store.clinicInfo()).toMatchObject({ code: 'SANT', name: 'Santkrupa Clinic' });
    expect(session.syncState()?.engine).not.toBeNull();
    expect(events).toContainEqual({ type: 'state' });
  });

  it('signs in offline with the cached verifier and grant when the server is unreachable', async () => {
    await session.login('pooja.shinde', PASSWORD);
    await session.logout();
    serverUp = false;
    await session.login('pooja.shinde', PASSWORD);
    expect(session.signedInOffline()).toBe(true);
    expect(session.syncState()).toMatchObject({ mode: 'offline', engine: null });
  });

  it('goes online by itself once the server is back after an offline sign-in', async () => {
    await session.login('pooja.shinde', PASSWORD);
    await session.logout();
    serverUp = false;
    await session.login('pooja.shinde', PASSWORD);
    serverUp = true;
    await clock.advance(5_000);
    // The background sign-in hashes the password again (argon2 on the thread pool): wait for it.
    await vi.waitFor(() => expect(session.signedInOffline()).toBe(false));
    expect(session.syncState()?.engine).not.toBeNull();
  });

  it('refuses an offline sign-in once the grant is older than 72 hours', async () => {
    await session.login('pooja.shinde', PASSWORD);
    await session.logout();
    serverUp = false;
    await clock.advance(72 * 3_600_000);
    await expect(session.login('pooja.shinde', PASSWORD)).rejects.toMatchObject({
      code: 'OFFLINE_LOGIN_UNAVAILABLE',
    });
  });

  it('refuses an offline sign-in for a user who never signed in online here', async () => {
    serverUp = false;
    await expect(session.login('dr.joshi', PASSWORD)).rejects.toMatchObject({
      code: 'OFFLINE_LOGIN_UNAVAILABLE',
    });
  });

  it('backs off after repeated wrong offline passwords', async () => {
    await session.login('pooja.shinde', PASSWORD);
    await session.logout();
    serverUp = false;
    for (let attempt = 0; attempt < 3; attempt++) {
      await expect(session.login('pooja.shinde', 'wrong')).rejects.toMatchObject({
        code: 'WRONG_CREDENTIALS',
      });
    }
    await expect(session.login('pooja.shinde', PASSWORD)).rejects.toMatchObject({
      code: 'OFFLINE_BACKOFF',
      details: { seconds: 15 },
    });
    await clock.advance(15_000);
    await session.login('pooja.shinde', PASSWORD);
    expect(session.signedInOffline()).toBe(true);
  });

  it('locks after the idle time, refuses the desk while locked and unlocks with the password', async () => {
    await session.login('pooja.shinde', PASSWORD);
    expect(session.authorize('patient.write')).toBeNull();
    await clock.advance(600_000);
    expect(session.locked()).toBe(true);
    expect(session.authorize('session')).toMatchObject({ code: 'LOCKED' });
    expect(session.authorize('public')).toBeNull();
    await expect(session.unlock('wrong')).rejects.toMatchObject({ code: 'WRONG_CREDENTIALS' });
    await session.unlock(PASSWORD);
    expect(session.locked()).toBe(false);
    expect(session.authorize('session')).toBeNull();
  });

  it('postpones the idle lock while the user is active', async () => {
    await session.login('pooja.shinde', PASSWORD);
    await clock.advance(500_000);
    session.touch();
    await clock.advance(500_000);
    expect(session.locked()).toBe(false);
    await clock.advance(100_000);
    expect(session.locked()).toBe(true);
  });

  it('applies a shorter idle time to the running session at once', async () => {
    await session.login('pooja.shinde', PASSWORD);
    settings.update({ idleLockSeconds: 30 });
    session.idleTimeChanged();
    await clock.advance(30_000);
    expect(session.locked()).toBe(true);
  });

  it('allows what the role may do and refuses the rest', async () => {
    await session.login('pooja.shinde', PASSWORD);
    expect(session.authorize('visit.checkin')).toBeNull();
    expect(session.authorize('staff.manage')).toMatchObject({ code: 'PERMISSION_DENIED' });
    await session.logout();
    expect(session.authorize('session')).toMatchObject({ code: 'NOT_SIGNED_IN' });
  });

  it('reports a wrong online password without trying offline', async () => {
    await expect(session.login('pooja.shinde', 'wrong')).rejects.toMatchObject({ code: 'WRONG_CREDENTIALS' });
    expect(session.user()).toBeNull();
  });
});
