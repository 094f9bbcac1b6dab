import type { Selectable } from 'kysely';
import type { DevicesTable } from '../../db/tables';
import type { TenantTransaction } from '../../plugins/tenancy.plugin';
import type { Device } from './devices.schema';

/** Converts a devices row to the API's Device. */
export function toDevice(row: Selectable<DevicesTable>): Device {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    platform: row.platform,
    appVersion: row.app_version,
    createdAt: row.created_at.toISOString(),
    approvedAt: row.approved_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    lastSeenAt: row.last_seen_at?.toISOString() ?? null,
    lastSyncAt: row.last_sync_at?.toISOString() ?? null,
  };
}

/** The clinic's devices, newest first. */
export async function listDevices(trx: TenantTransaction, clinicId: string): Promise<Device[]> {
  const rows = await trx
    .selectFrom('devices')
    .selectAll()
    .where('clinic_id', '=', clinicId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(toDevice);
}

/** One device of the clinic, or undefined. */
export async function findDevice(trx: TenantTransaction, clinicId: string, id: string) {
  return trx
    .selectFrom('devices')
    .selectAll()
    .where('clinic_id', '=', clinicId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Counts the clinic's devices waiting for approval (registration is capped so it cannot be spammed). */
export async function countPending(trx: TenantTransaction, clinicId: string): Promise<number> {
  const row = await trx
    .selectFrom('devices')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('clinic_id', '=', clinicId)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
