import type { ClinicInfo, SyncCursorState } from '@clinicdesk/local-store';
import { describe, expect, it } from 'vitest';
import { buildSyncView, type SyncViewInput } from './sync-view';

const NOW = Date.parse('2026-11-28T06:00:00.000Z');
const clinic: ClinicInfo = {
  clinicId: '0193a1b2-0000-7000-8000-00000000c001',
  code: 'SUNR',
  name: 'Sunrise Family Clinic',
  timezone: 'Asia/Kolkata',
  profile: { subscriptionStatus: 'trial', trialEndsAt: '2026-12-08T06:00:00.000Z' },
  profileVersion: 0,
  status: 'trial',
  limits: null,
  usage: null,
  lease: null,
  leaseExpiresAt: '2026-11-29T18:00:00.000Z',
  snapshotAt: null,
};
const cursor: SyncCursorState = {
  cursor: 40,
  bootstrapped: false,
  progress: { done: 1000, total: 4000 },
  lastSyncAt: null,
};
const input: SyncViewInput = {
  session: null,
  cursor,
  clinic,
  readOnlyReason: null,
  pending: 2,
  refused: 1,
  now: NOW,
};

describe('sync view', () => {
  it('counts the trial days left and shows first-sync progress from the store', () => {
    const view = buildSyncView(input);
    expect(view.licence).toMatchObject({ status: 'trial', trialDaysLeft: 10, readOnly: null });
    expect(view.firstSync).toEqual({ done: false, rowsDone: 1000, rowsTotal: 4000, percent: 25 });
    expect(view).toMatchObject({ online: false, pending: 2, refused: 1 });
  });

  it('warns about the offline licence lease only while offline and under two days', () => {
    expect(buildSyncView(input).licence.leaseHoursLeft).toBe(36);
    const later = { ...clinic, leaseExpiresAt: '2026-12-05T06:00:00.000Z' };
    expect(buildSyncView({ ...input, clinic: later }).licence.leaseHoursLeft).toBeNull();
  });

  it('explains why the store is read-only', () => {
    const cause = (readOnlyReason: string) => buildSyncView({ ...input, readOnlyReason }).licence.readOnly;
    expect(cause('licence_lapsed')).toBe('lease_expired');
    expect(cause('subscription_inactive')).toBe('expired');
    expect(cause('upgrade_required')).toBe('upgrade_required');
    expect(cause('clinic_suspended')).toBe('suspended');
    expect(buildSyncView({ ...input, clinic: { ...clinic, status: 'expired' } }).licence.readOnly).toBe(
      'expired',
    );
  });

  it('reports a finished first sync as 100%', () => {
    const done = buildSyncView({ ...input, cursor: { ...cursor, bootstrapped: true, progress: null } });
    expect(done.firstSync).toMatchObject({ done: true, percent: 100 });
  });
});
