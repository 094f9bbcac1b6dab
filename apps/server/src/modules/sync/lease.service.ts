import { randomUUID } from 'node:crypto';
import type { LeaseRequest, LeaseResponse } from '@clinicdesk/sync-protocol';
import { sql } from 'kysely';
import type { TenantTransaction } from '../../plugins/tenancy.plugin';

/**
 * Counter blocks for offline numbering (patient codes per year, queue tokens per clinic day).
 * Blocks come from the same per-clinic counter the server itself assigns from, under the clinic
 * lock, so no two blocks — and no server-assigned number — ever overlap.
 */
export async function leaseBlock(
  trx: TenantTransaction,
  clinicId: string,
  deviceId: string,
  request: LeaseRequest,
  now: Date,
): Promise<LeaseResponse> {
  const { rows } = await sql<{ from_value: number }>`
    INSERT INTO counters AS c (clinic_id, counter, scope, next_value)
    VALUES (${clinicId}, ${request.counter}, ${request.scope}, ${1 + request.size})
    ON CONFLICT (clinic_id, counter, scope) DO UPDATE SET next_value = c.next_value + ${request.size}
    RETURNING next_value - ${request.size} AS from_value`.execute(trx);
  const from = Number(rows[0]?.from_value);
  const to = from + request.size - 1;
  const id = randomUUID();
  await trx
    .insertInto('counter_leases')
    .values({
      clinic_id: clinicId,
      id,
      device_id: deviceId,
      counter: request.counter,
      scope: request.scope,
      from_value: from,
      to_value: to,
      issued_at: now,
    })
    .execute();
  return {
    leaseId: id,
    counter: request.counter,
    scope: request.scope,
    from,
    to,
    issuedAt: now.toISOString(),
  };
}
