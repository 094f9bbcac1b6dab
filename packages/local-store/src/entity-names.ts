/*
 * Entity names on the wire and their local tables.
 *
 * Invariants:
 * - On the wire an entity is named by its registry key (`labResult`), in both directions; staff
 *   accounts arrive as `staff`, doctor profiles as `doctorProfile`.
 * - Pulled changes are also accepted under the snake_case key (`lab_result`) or the table name
 *   (`lab_results`, what the server's change log records), so a server-side rename of the wire
 *   spelling cannot strand rows. Names that resolve to nothing are reported, never guessed.
 */
import { type SyncedEntityName, syncedEntities, syncedEntityNames, toSnakeCase } from '@clinicdesk/domain';

/** Where a pulled change lands locally. */
export type PulledTarget =
  | { kind: 'synced'; entity: SyncedEntityName }
  | { kind: 'staff' }
  | { kind: 'doctor_profiles' }
  | { kind: 'clinic' };

/** The entity name a pushed op carries for `entity`: its registry key. */
export function wireEntityName(entity: SyncedEntityName): string {
  return entity;
}

/** Builds the lookup from every accepted wire name to its local target. */
export function buildPulledTargets(): ReadonlyMap<string, PulledTarget> {
  const targets = new Map<string, PulledTarget>();
  for (const entity of syncedEntityNames) {
    const target: PulledTarget = { kind: 'synced', entity };
    for (const name of [entity, toSnakeCase(entity), syncedEntities[entity].table]) targets.set(name, target);
  }
  for (const name of ['users', 'user', 'staff']) targets.set(name, { kind: 'staff' });
  for (const name of ['doctor_profiles', 'doctor_profile', 'doctorProfile'])
    targets.set(name, { kind: 'doctor_profiles' });
  for (const name of ['clinics', 'clinic']) targets.set(name, { kind: 'clinic' });
  return targets;
}

/** The synced entity a pushed op's entity name refers to, or null. */
export function syncedEntityFromWire(
  targets: ReadonlyMap<string, PulledTarget>,
  name: string,
): SyncedEntityName | null {
  const target = targets.get(name);
  return target?.kind === 'synced' ? target.entity : null;
}
