/**
 * The status bar's view of sync and licence, computed from the engine's status, the store's
 * bookkeeping and what the clinic profile says. Pure: every input is passed in.
 */
import type { ClinicInfo, SyncCursorState } from '@clinicdesk/local-store';
import type { LicenceView, ReadOnlyCause, SyncView } from '../../shared/app-views';
import type { SessionSyncState } from './session.service';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Warn about the offline licence lease when less than this is left. */
export const LEASE_WARNING_MS = 2 * DAY_MS;

/** Maps the store's read-only reason (set by the sync engine) to the banner's cause. */
export function readOnlyCause(reason: string | null): ReadOnlyCause | null {
  switch (reason) {
    case null:
      return null;
    case 'licence_lapsed':
      return 'lease_expired';
    case 'upgrade_required':
      return 'upgrade_required';
    case 'clinic_suspended':
      return 'suspended';
    default:
      return 'expired';
  }
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export interface SyncViewInput {
  readonly session: SessionSyncState | null;
  readonly cursor: SyncCursorState;
  readonly clinic: ClinicInfo;
  readonly readOnlyReason: string | null;
  readonly pending: number;
  readonly refused: number;
  readonly now: number;
}

/** The licence part of the view. */
export function licenceView(input: SyncViewInput, online: boolean): LicenceView {
  const profile = input.clinic.profile ?? {};
  const status =
    input.clinic.status ??
    input.session?.loginClinic?.subscriptionStatus ??
    statusOf(profile.subscriptionStatus);
  const trialEndsAt = input.session?.loginClinic?.trialEndsAt ?? text(profile.trialEndsAt);
  const trialDaysLeft =
    status === 'trial' && trialEndsAt !== null
      ? Math.max(0, Math.floor((Date.parse(trialEndsAt) - input.now) / DAY_MS))
      : null;
  let readOnly = readOnlyCause(input.readOnlyReason);
  if (readOnly === null && (status === 'expired' || input.session?.loginClinic?.access === 'read_only'))
    readOnly = 'expired';
  const leaseExpiresAt = input.clinic.leaseExpiresAt;
  const leaseLeft = leaseExpiresAt === null ? null : Date.parse(leaseExpiresAt) - input.now;
  return {
    status,
    readOnly,
    trialDaysLeft,
    leaseExpiresAt,
    leaseHoursLeft:
      !online && leaseLeft !== null && leaseLeft < LEASE_WARNING_MS
        ? Math.max(0, Math.floor(leaseLeft / HOUR_MS))
        : null,
  };
}

function statusOf(value: unknown): LicenceView['status'] {
  return value === 'trial' || value === 'active' || value === 'expired' || value === 'suspended'
    ? value
    : null;
}

/** The whole sync view. */
export function buildSyncView(input: SyncViewInput): SyncView {
  const engine = input.session?.engine ?? null;
  const online = engine?.online ?? false;
  const progress = engine?.progress ?? input.cursor.progress;
  const done = input.cursor.bootstrapped;
  const rowsDone = progress?.done ?? 0;
  const rowsTotal = progress?.total ?? null;
  const lastError = engine?.lastError ?? null;
  return {
    online,
    syncing: engine?.syncing ?? false,
    live: engine?.live ?? false,
    signedInOffline: input.session?.mode === 'offline',
    needsOnlineSignIn: input.session?.needsOnlineSignIn ?? false,
    pending: input.pending,
    refused: input.refused,
    lastSyncAt:
      engine?.lastSyncAt != null ? new Date(engine.lastSyncAt).toISOString() : input.cursor.lastSyncAt,
    lastError:
      lastError === null
        ? null
        : {
            kind: lastError.kind,
            code: lastError.kind === 'server' ? lastError.code : null,
            message: lastError.message,
          },
    firstSync: {
      done,
      rowsDone,
      rowsTotal,
      percent: done
        ? 100
        : rowsTotal === null || rowsTotal === 0
          ? null
          : Math.min(100, Math.floor((rowsDone / rowsTotal) * 100)),
    },
    licence: licenceView(input, online),
  };
}
