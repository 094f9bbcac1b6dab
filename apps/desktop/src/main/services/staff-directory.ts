/**
 * Doctors of the clinic, from the staff accounts and doctor profiles that arrive through pull.
 * The local store has no repository for these pulled-only tables yet, so this file reads them with
 * two prepared statements and converts the rows explicitly.
 */
import type { LocalStore } from '@clinicdesk/local-store';
import type { DoctorView } from '../../shared/reception-views';

interface DoctorRow {
  id: unknown;
  display_name: unknown;
  specialization: unknown;
}

/** Active doctors, by name. */
export function listDoctors(store: LocalStore): DoctorView[] {
  const rows = store.sqlite
    .prepare<[], DoctorRow>(
      `SELECT s.id, s.display_name, p.specialization
       FROM staff s LEFT JOIN doctor_profiles p ON p.user_id = s.id AND p.deleted_at IS NULL
       WHERE s.role = 'doctor' AND s.deleted_at IS NULL AND coalesce(s.is_active, 1) = 1
       ORDER BY s.display_name, s.id`,
    )
    .all();
  return rows.map((row) => ({
    id: String(row.id),
    displayName: typeof row.display_name === 'string' ? row.display_name : String(row.id),
    specialization:
      typeof row.specialization === 'string' && row.specialization !== '' ? row.specialization : null,
  }));
}
