/*
 * Who this install is (device and clinic ids, in `meta`) and what it knows about its clinic
 * (`clinic_info`: profile, subscription status, limits, usage and the signed licence lease).
 *
 * Invariants:
 * - Local writes need the clinic id (every row carries it); patient codes need the clinic code.
 * - The clinic profile changes online only; it arrives from REST (`setClinicProfile`) or as a
 *   pulled `clinics` change, and a profile never replaces one with a higher version.
 * - Status, limits, usage and lease are replaced by every pull page: the server's latest word.
 */
import { type Clinic, isUuid, type JsonValue, keysToCamelCase } from '@clinicdesk/domain';
import { LocalStoreNotReadyError } from './local-store.errors';
import { isJsonValue, toJsonObject } from './row-codec';
import type { StoreContext } from './store-context';
import type { ClinicSnapshot, PulledChange } from './sync-messages';

/** This install's device and clinic. */
export interface DeviceIdentity {
  readonly deviceId: string;
  readonly clinicId: string;
}

/** A clinic profile as REST returns it: at least id, code and name. */
export type ClinicProfileInput = Pick<Clinic, 'id' | 'code' | 'name'> & Partial<Clinic>;

/** What the device knows about its clinic. */
export interface ClinicInfo {
  readonly clinicId: string | null;
  readonly code: string | null;
  readonly name: string | null;
  readonly timezone: string | null;
  /** The clinic record as last received (letterhead, contact details, subscription fields…). */
  readonly profile: { readonly [field: string]: JsonValue } | null;
  readonly profileVersion: number;
  readonly status: ClinicSnapshot['status'] | null;
  readonly limits: ClinicSnapshot['limits'] | null;
  readonly usage: ClinicSnapshot['usage'] | null;
  readonly lease: ClinicSnapshot['lease'] | null;
  /** When the licence lease runs out; the engine turns the store read-only after it. */
  readonly leaseExpiresAt: string | null;
  /** When the last snapshot arrived. */
  readonly snapshotAt: string | null;
}

/** Reads the device and clinic ids, or null before the device is registered. */
export function readIdentity(ctx: StoreContext): DeviceIdentity | null {
  const rows = ctx.statement("SELECT key, value FROM meta WHERE key IN ('device_id', 'clinic_id')").all();
  const value = (key: string) => rows.find((row) => row.key === key)?.value;
  const deviceId = value('device_id');
  const clinicId = value('clinic_id');
  return typeof deviceId === 'string' && typeof clinicId === 'string' ? { deviceId, clinicId } : null;
}

/** Records the device and clinic ids after registration. */
export function writeIdentity(ctx: StoreContext, identity: DeviceIdentity): void {
  for (const [name, id] of Object.entries(identity)) {
    if (typeof id !== 'string' || !isUuid(id)) throw new RangeError(`${name} must be a UUID`);
  }
  const upsert = ctx.statement(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  ctx.sqlite.transaction(() => {
    upsert.run('device_id', identity.deviceId);
    upsert.run('clinic_id', identity.clinicId);
  })();
}

/** The clinic id local writes stamp on rows; throws until `setIdentity` ran. */
export function requireClinicId(ctx: StoreContext): string {
  const identity = readIdentity(ctx);
  if (identity === null)
    throw new LocalStoreNotReadyError(
      'This device has no clinic yet: call setIdentity after registering it.',
    );
  return identity.clinicId;
}

function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function jsonObject(value: unknown): { [field: string]: JsonValue } | null {
  return isJsonValue(value) && typeof value === 'object' && value !== null && !Array.isArray(value)
    ? value
    : null;
}

function statusOf(value: unknown): ClinicSnapshot['status'] | null {
  return value === 'trial' || value === 'active' || value === 'expired' || value === 'suspended'
    ? value
    : null;
}

function limitsOf(value: unknown): ClinicSnapshot['limits'] | null {
  const object = jsonObject(value);
  if (object === null) return null;
  const limit = (key: string) => {
    const value = object[key];
    return typeof value === 'number' ? value : null;
  };
  return {
    patients: limit('patients'),
    doctors: limit('doctors'),
    receptionists: limit('receptionists'),
    labTechs: limit('labTechs'),
  };
}

function usageOf(value: unknown): ClinicSnapshot['usage'] | null {
  const object = jsonObject(value);
  if (object === null) return null;
  const count = (key: string) => {
    const value = object[key];
    return typeof value === 'number' ? value : 0;
  };
  return {
    patients: count('patients'),
    doctors: count('doctors'),
    receptionists: count('receptionists'),
    labTechs: count('labTechs'),
  };
}

function leaseOf(value: unknown): ClinicSnapshot['lease'] | null {
  const object = jsonObject(value);
  if (object === null) return null;
  const { issuedAt, expiresAt, token } = object;
  return typeof issuedAt === 'string' && typeof expiresAt === 'string' && typeof token === 'string'
    ? { issuedAt, expiresAt, token }
    : null;
}

/** Reads what the device knows about its clinic. */
export function readClinicInfo(ctx: StoreContext): ClinicInfo {
  const row = ctx.statement('SELECT * FROM clinic_info WHERE id = 1').get() ?? {};
  return {
    clinicId: text(row.clinic_id),
    code: text(row.code),
    name: text(row.name),
    timezone: text(row.timezone),
    profile: jsonObject(parseJson(row.profile)),
    profileVersion: Number(row.profile_version ?? 0),
    status: statusOf(row.status),
    limits: limitsOf(parseJson(row.limits)),
    usage: usageOf(parseJson(row.usage)),
    lease: leaseOf(parseJson(row.lease)),
    leaseExpiresAt: text(row.lease_expires_at),
    snapshotAt: text(row.snapshot_at),
  };
}

/** The clinic code patient codes are made of; throws until the profile is known. */
export function requireClinicCode(ctx: StoreContext): string {
  const { code } = readClinicInfo(ctx);
  if (code === null)
    throw new LocalStoreNotReadyError('The clinic code is not known yet: set the clinic profile first.');
  return code;
}

function writeProfile(
  ctx: StoreContext,
  profile: Readonly<Record<string, unknown>>,
  version: number,
): boolean {
  const info = toJsonObject(profile);
  const result = ctx
    .statement(
      `UPDATE clinic_info SET clinic_id = ?, code = ?, name = ?, timezone = ?, profile = ?, profile_version = ?
       WHERE id = 1 AND profile_version <= ?`,
    )
    .run(
      text(info.id),
      text(info.code),
      text(info.name),
      text(info.timezone),
      JSON.stringify(info),
      version,
      version,
    );
  return result.changes > 0;
}

/** Stores the clinic profile as REST returned it (ignored if an equal or newer version is stored). */
export function writeClinicProfile(ctx: StoreContext, profile: ClinicProfileInput): boolean {
  return writeProfile(ctx, profile, profile.version ?? 0);
}

/** Applies a pulled change of the clinic row; true when it was newer than what is stored. */
export function applyClinicChange(ctx: StoreContext, change: PulledChange): boolean {
  const fields = keysToCamelCase(change.data);
  const stored = readClinicInfo(ctx).profileVersion;
  if (change.version <= stored) return false;
  return writeProfile(ctx, { ...fields, id: change.id, version: change.version }, change.version);
}

/** Replaces status, limits, usage and lease with a pull page's snapshot. */
export function applyClinicSnapshot(ctx: StoreContext, snapshot: ClinicSnapshot, at: string): void {
  ctx
    .statement(
      `UPDATE clinic_info SET status = ?, limits = ?, usage = ?, lease = ?, lease_expires_at = ?, snapshot_at = ?
       WHERE id = 1`,
    )
    .run(
      snapshot.status,
      JSON.stringify(snapshot.limits),
      JSON.stringify(snapshot.usage),
      JSON.stringify(snapshot.lease),
      snapshot.lease.expiresAt,
      at,
    );
}
