/**
 * Every synced record carries the same columns: a client-generated UUIDv7 `id`, the owning
 * `clinicId`, a server-assigned `version`, server timestamps and a soft-delete marker.
 *
 * Each entity is described once as a plain shape of its own fields and turned into three schemas:
 * - the entity (`Patient`): sync columns + fields. Not strict, so a device keeps working when a
 *   newer server adds a field it does not know yet (the unknown key is stripped).
 * - the create input (`PatientInput`): `id` + fields, strict. `clinicId`, `version` and timestamps
 *   are the server's: the clinic comes from the verified token, never from the body. Nullable
 *   fields default to `null`, so the input type (`z.input`) lets callers omit them.
 * - the patch (`PatientPatch`): every field optional, no defaults, strict. An omitted field is
 *   untouched; validate the merged record against the entity schema afterwards.
 */
import { z } from 'zod';
import { IsoDateTime, Uuid, Version } from './common.schema';

/** Columns shared by every tenant-scoped synced row. */
export const SyncColumns = z.object({
  id: Uuid,
  clinicId: Uuid,
  version: Version,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  deletedAt: IsoDateTime.nullable(),
});
export type SyncColumns = z.infer<typeof SyncColumns>;

/** The sync columns a client never sets on create (everything except `id`). */
export const serverAssignedColumns = ['clinicId', 'version', 'createdAt', 'updatedAt', 'deletedAt'] as const;
export type ServerAssignedColumn = (typeof serverAssignedColumns)[number];

type WithoutDefault<S> = S extends z.ZodDefault<infer Inner extends z.ZodType> ? Inner : S;

/** Shape of a patch schema: every field optional and without its create-time default. */
export type PatchShape<T extends z.ZodRawShape> = { [K in keyof T]: z.ZodOptional<WithoutDefault<T[K]>> };

/** Builds an entity schema: sync columns plus the entity's own fields. */
export function entitySchema<T extends z.ZodRawShape>(fields: T) {
  return z.object({ ...SyncColumns.shape, ...fields });
}

/** Builds the strict create-input schema: the client-generated `id` plus the entity's fields. */
export function entityInput<T extends z.ZodRawShape>(fields: T) {
  return z.object({ id: Uuid, ...fields }).strict();
}

/** Builds the strict patch schema: every field optional, defaults removed so omission means "unchanged". */
export function entityPatch<T extends z.ZodRawShape>(fields: T) {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(fields)) {
    const base = field instanceof z.ZodDefault ? field.unwrap() : field;
    shape[key] = z.optional(base);
  }
  // The loop above builds exactly PatchShape<T>; TypeScript cannot follow a mapped type through
  // Object.entries, so this one cast stands in for it (the registry test checks the result).
  return z.object(shape as unknown as PatchShape<T>).strict();
}
