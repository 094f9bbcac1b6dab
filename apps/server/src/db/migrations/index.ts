import type { Migration } from 'kysely';
import * as m0001 from './2026_11_28_0001_platform';
import * as m0002 from './2026_11_28_0002_clinical_tables';
import * as m0003 from './2026_11_28_0003_row_level_security';
import * as m0004 from './2026_11_28_0004_identity_audit';
import * as m0005 from './2026_11_28_0005_sync';
import * as m0006 from './2026_11_28_0006_totp_replay';
import * as m0007 from './2026_12_07_0007_change_log_per_statement';
import * as m0008 from './2026_12_07_0008_push_bookkeeping';
import * as m0009 from './2026_12_08_0009_push_begin';

/**
 * Every migration, in order, imported statically so the list also works inside a bundled or
 * packaged server (no directory scanning). Names are timestamps; a test checks they are sorted.
 */
export const migrations: Record<string, Migration> = {
  '2026_11_28_0001_platform': m0001,
  '2026_11_28_0002_clinical_tables': m0002,
  '2026_11_28_0003_row_level_security': m0003,
  '2026_11_28_0004_identity_audit': m0004,
  '2026_11_28_0005_sync': m0005,
  '2026_11_28_0006_totp_replay': m0006,
  '2026_12_07_0007_change_log_per_statement': m0007,
  '2026_12_07_0008_push_bookkeeping': m0008,
  '2026_12_08_0009_push_begin': m0009,
};
