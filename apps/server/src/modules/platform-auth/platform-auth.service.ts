import type { Database } from '../../db/database';
import { AppError } from '../../lib/app-error';
import type { Caller } from '../../plugins/auth.plugin';
import { actorOf } from '../../plugins/tenancy.plugin';
import { recordPlatformEvent } from '../audit/audit.repository';
import { newTotpSecret, totpStep, totpUri } from '../auth/totp';
import type { TotpEnrolment, TotpStatus } from './platform-auth.schema';

/**
 * A super admin's second factor. Enrolment has two steps so a typo in the authenticator app can
 * never lock anyone out: `enroll` stores a pending secret (`totp_secret` set, `totp_enabled`
 * false, which sign-in ignores), `confirm` checks one code against it and only then turns the
 * factor on. From then on sign-in demands a code (auth.service). Both steps, and every wrong
 * confirmation, are recorded in the platform audit chain. Turning the factor on ends the admin's
 * other sessions, which were opened without it.
 */
export type PlatformAuthDeps = { db: Database; now: () => Date };

async function adminRow(deps: PlatformAuthDeps, caller: Caller) {
  const row = await deps.db.owner
    .selectFrom('platform_admins')
    .select(['id', 'username', 'totp_secret', 'totp_enabled'])
    .where('id', '=', caller.sub)
    .executeTakeFirst();
  if (!row || caller.clinicId !== null)
    throw new AppError('FORBIDDEN', 'Only super admins have an authenticator');
  return row;
}

/** Whether the caller's authenticator is on, or waiting for its first code. */
export async function totpStatus(deps: PlatformAuthDeps, caller: Caller): Promise<TotpStatus> {
  const row = await adminRow(deps, caller);
  return { enabled: row.totp_enabled, pending: !row.totp_enabled && row.totp_secret !== null };
}

/** Starts (or restarts) enrolment with a fresh secret; CONFLICT once the factor is on. */
export async function startTotpEnrolment(deps: PlatformAuthDeps, caller: Caller): Promise<TotpEnrolment> {
  const row = await adminRow(deps, caller);
  if (row.totp_enabled) {
    throw new AppError(
      'CONFLICT',
      'Your authenticator is already set up; ask another super admin to reset it',
    );
  }
  const secret = newTotpSecret();
  await deps.db.owner.transaction().execute(async (trx) => {
    await trx
      .updateTable('platform_admins')
      .set({ totp_secret: secret, updated_at: deps.now() })
      .where('id', '=', row.id)
      .where('totp_enabled', '=', false)
      .execute();
    await recordPlatformEvent(trx, actorOf(caller), {
      action: 'auth.totp.enrolment_started',
      entity: 'platform_admin',
      entityId: row.id,
    });
  });
  return { secret, uri: totpUri(secret, row.username), account: row.username };
}

/** Turns the factor on when `code` matches the pending secret; VALIDATION_FAILED when it does not. */
export async function confirmTotpEnrolment(
  deps: PlatformAuthDeps,
  caller: Caller,
  code: string,
): Promise<TotpStatus> {
  const row = await adminRow(deps, caller);
  if (row.totp_enabled) throw new AppError('CONFLICT', 'Your authenticator is already set up');
  if (!row.totp_secret) throw new AppError('CONFLICT', 'Start the authenticator set-up first');
  const now = deps.now();
  const step = totpStep(row.totp_secret, code, now);
  if (step === null) {
    await recordPlatformEvent(deps.db.owner, actorOf(caller), {
      action: 'auth.totp.confirm_failed',
      entity: 'platform_admin',
      entityId: row.id,
    });
    throw new AppError(
      'VALIDATION_FAILED',
      'That code is not right; check the time on your phone and try the next code',
      {
        field: 'code',
      },
    );
  }
  await deps.db.owner.transaction().execute(async (trx) => {
    await trx
      .updateTable('platform_admins')
      .set({ totp_enabled: true, totp_last_step: step, updated_at: now })
      .where('id', '=', row.id)
      .execute();
    const revoked = await trx
      .updateTable('platform_sessions')
      .set({ revoked_at: now, revoked_reason: 'totp_enabled' })
      .where('admin_id', '=', row.id)
      .where('id', '<>', caller.sid)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    await recordPlatformEvent(trx, actorOf(caller), {
      action: 'auth.totp.enabled',
      entity: 'platform_admin',
      entityId: row.id,
      details: { otherSessionsEnded: Number(revoked.numUpdatedRows) },
    });
  });
  return { enabled: true, pending: false };
}
