import { describe, expect, it } from 'vitest';
import { accessAllows, type SubscriptionState, subscriptionAccess } from './subscription';

const now = new Date('2026-11-28T10:00:00.000Z');
const base: SubscriptionState = { status: 'trial', trialEndsAt: null, paidUntil: null, isActive: true };

describe('subscriptionAccess', () => {
  it('gives full access during a trial and says until when', () => {
    expect(subscriptionAccess({ ...base, trialEndsAt: '2026-12-01T00:00:00Z' }, now)).toEqual({
      access: 'full',
      reason: 'trial',
      until: '2026-12-01T00:00:00.000Z',
    });
  });

  it('turns read-only once the trial end has been reached (the end instant included)', () => {
    const ended = { ...base, trialEndsAt: now.toISOString() };
    expect(subscriptionAccess(ended, now)).toEqual({
      access: 'read_only',
      reason: 'trial_ended',
      until: null,
    });
    const justBefore = new Date(now.getTime() - 1);
    expect(subscriptionAccess(ended, justBefore).access).toBe('full');
  });

  it('accepts Date values as well as ISO strings', () => {
    const state = { ...base, status: 'active' as const, paidUntil: new Date('2026-11-01T00:00:00Z') };
    expect(subscriptionAccess(state, now)).toMatchObject({
      access: 'read_only',
      reason: 'paid_period_ended',
    });
  });

  it('gives full access to an active clinic until paidUntil, or indefinitely without it', () => {
    expect(
      subscriptionAccess({ ...base, status: 'active', paidUntil: '2027-01-01T00:00:00Z' }, now),
    ).toMatchObject({
      access: 'full',
      reason: 'active',
    });
    expect(subscriptionAccess({ ...base, status: 'active' }, now)).toEqual({
      access: 'full',
      reason: 'active',
      until: null,
    });
  });

  it('treats a trial without an end date as a full trial', () => {
    expect(subscriptionAccess(base, now)).toEqual({ access: 'full', reason: 'trial', until: null });
  });

  it('makes an expired clinic read-only whatever its dates say', () => {
    const state = { ...base, status: 'expired' as const, paidUntil: '2030-01-01T00:00:00Z' };
    expect(subscriptionAccess(state, now)).toEqual({ access: 'read_only', reason: 'expired', until: null });
  });

  it('blocks a suspended clinic, and a deactivated clinic before anything else', () => {
    expect(subscriptionAccess({ ...base, status: 'suspended' }, now)).toMatchObject({
      access: 'blocked',
      reason: 'suspended',
    });
    const inactive = { ...base, status: 'active' as const, isActive: false };
    expect(subscriptionAccess(inactive, now)).toMatchObject({ access: 'blocked', reason: 'clinic_inactive' });
  });

  it('fails closed on an unreadable date', () => {
    expect(subscriptionAccess({ ...base, trialEndsAt: 'soon' }, now)).toMatchObject({
      access: 'read_only',
      reason: 'trial_ended',
    });
  });
});

describe('accessAllows', () => {
  it('maps access levels to login, read and write', () => {
    expect(['login', 'read', 'write'].map((a) => accessAllows('full', a as 'login'))).toEqual([
      true,
      true,
      true,
    ]);
    expect(accessAllows('read_only', 'login')).toBe(true);
    expect(accessAllows('read_only', 'read')).toBe(true);
    expect(accessAllows('read_only', 'write')).toBe(false);
    expect(accessAllows('blocked', 'login')).toBe(false);
    expect(accessAllows('blocked', 'read')).toBe(false);
  });
});
