/**
 * What a clinic may do given its subscription (DESIGN §4). The server decides with this function on
 * every login, pull and push; devices use it to show banners before the server says no.
 * - `trial` until `trialEndsAt`, `active` until `paidUntil` (if set): full use.
 * - past those dates, or `expired`: read-only (login and pull work, writes are refused).
 * - `suspended`, or the clinic deactivated: blocked (no login, no sync).
 * A date that cannot be read counts as already passed: the rule fails closed.
 */
import type { SubscriptionStatus } from './clinic.schema';

/** How much a clinic may use the system. */
export type SubscriptionAccess = 'full' | 'read_only' | 'blocked';

/** Why the clinic has that access. */
export type SubscriptionReason =
  | 'trial'
  | 'active'
  | 'trial_ended'
  | 'paid_period_ended'
  | 'expired'
  | 'suspended'
  | 'clinic_inactive';

/** The clinic fields the rule reads (dates as ISO strings or `Date`). */
export interface SubscriptionState {
  status: SubscriptionStatus;
  trialEndsAt: string | Date | null;
  paidUntil: string | Date | null;
  isActive: boolean;
}

/** The decision: access, reason code, and when full access ends (ISO) if it is full and time-limited. */
export interface SubscriptionDecision {
  access: SubscriptionAccess;
  reason: SubscriptionReason;
  until: string | null;
}

/** What each access level allows. */
export type SubscriptionAction = 'login' | 'read' | 'write';

function toTime(value: string | Date): number {
  return value instanceof Date ? value.getTime() : Date.parse(value);
}

function timeLimited(
  end: string | Date | null,
  now: Date,
  fullReason: SubscriptionReason,
  endedReason: SubscriptionReason,
): SubscriptionDecision {
  if (end === null) return { access: 'full', reason: fullReason, until: null };
  const endMs = toTime(end);
  if (Number.isNaN(endMs) || now.getTime() >= endMs) {
    return { access: 'read_only', reason: endedReason, until: null };
  }
  return { access: 'full', reason: fullReason, until: new Date(endMs).toISOString() };
}

/** Decides a clinic's access at `now` from its subscription status, dates and active flag. */
export function subscriptionAccess(state: SubscriptionState, now: Date): SubscriptionDecision {
  if (!state.isActive) return { access: 'blocked', reason: 'clinic_inactive', until: null };
  switch (state.status) {
    case 'suspended':
      return { access: 'blocked', reason: 'suspended', until: null };
    case 'expired':
      return { access: 'read_only', reason: 'expired', until: null };
    case 'trial':
      // A trial without an end date is a data-entry gap, not a reason to lock a clinic out.
      return timeLimited(state.trialEndsAt, now, 'trial', 'trial_ended');
    case 'active':
      return timeLimited(state.paidUntil, now, 'active', 'paid_period_ended');
    default: {
      const unknown: never = state.status;
      throw new Error(`Unknown subscription status: ${String(unknown)}`);
    }
  }
}

/** True when an access level permits `action` (read-only permits login and read; blocked permits nothing). */
export function accessAllows(access: SubscriptionAccess, action: SubscriptionAction): boolean {
  switch (access) {
    case 'full':
      return true;
    case 'read_only':
      return action !== 'write';
    case 'blocked':
      return false;
    default: {
      const unknown: never = access;
      throw new Error(`Unknown access level: ${String(unknown)}`);
    }
  }
}
