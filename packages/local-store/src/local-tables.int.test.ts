import { join } from 'node:path';
import { fieldKindOf, syncedColumns, syncedEntities, syncedEntityNames } from '@clinicdesk/domain';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLocalStore } from './local-store';
import { buildLocalTableSpecs } from './local-tables';
import { makeTempDir } from './test-support';

let temp: ReturnType<typeof makeTempDir>;
let file: string;
beforeEach(() => {
  temp = makeTempDir();
  file = join(temp.dir, 'clinic.sqlite');
});
afterEach(() => temp.cleanup());

const columnsOf = (sqlite: Database.Database, table: string) =>
  sqlite
    .prepare<[string], { name: string; type: string; pk: number }>(
      'SELECT name, type, pk FROM pragma_table_info(?)',
    )
    .all(table);

describe('the record tables', () => {
  it('have exactly the columns of the domain registry, id as primary key', async () => {
    const store = await openLocalStore({ file });
    for (const name of syncedEntityNames) {
      const columns = columnsOf(store.sqlite, syncedEntities[name].table);
      expect(columns.map((column) => column.name)).toEqual(syncedColumns(name));
      expect(columns.find((column) => column.pk === 1)?.name).toBe('id');
    }
    await store.close();
  });

  it('store booleans as INTEGER, JSON-ish fields as TEXT, numbers by kind', async () => {
    const store = await openLocalStore({ file });
    const typeOf = (table: string, column: string) =>
      columnsOf(store.sqlite, table).find((candidate) => candidate.name === column)?.type;
    expect(typeOf('medicines', 'is_active')).toBe('INTEGER');
    expect(typeOf('medicines', 'default_dose_pattern')).toBe('TEXT');
    expect(typeOf('lab_tests', 'reference_ranges')).toBe('TEXT');
    expect(typeOf('patients', 'weight_kg')).toBe('REAL');
    expect(typeOf('visits', 'token_number')).toBe('INTEGER');
    expect(typeOf('visits', 'version')).toBe('INTEGER');
    expect(columnsOf(store.sqlite, 'staff').map((column) => column.name)).not.toContain('password_hash');
    await store.close();
  });

  it('index only columns that exist', () => {
    const specs = buildLocalTableSpecs();
    for (const spec of [...Object.values(specs.synced), ...Object.values(specs.pulledOnly)]) {
      const names = spec.columns.map((column) => column.column);
      for (const index of spec.indexes) expect(names).toEqual(expect.arrayContaining([...index]));
    }
  });

  it('gain on open any column or table the domain added since the file was created', async () => {
    await (await openLocalStore({ file })).close();
    const raw = new Database(file);
    raw.exec('ALTER TABLE patients DROP COLUMN blood_group; DROP TABLE follow_ups;');
    raw.close();

    const store = await openLocalStore({ file });
    expect(columnsOf(store.sqlite, 'patients').map((column) => column.name)).toContain('blood_group');
    expect(columnsOf(store.sqlite, 'follow_ups').map((column) => column.name)).toEqual(
      syncedColumns('followUp'),
    );
    await store.close();
  });

  it('map zod field kinds to storage kinds', () => {
    const shape = syncedEntities.prescriptionItem.schema.shape;
    expect(fieldKindOf(shape.dosePattern)).toBe('json');
    expect(fieldKindOf(shape.medicineType)).toBe('text');
    expect(fieldKindOf(shape.quantity)).toBe('integer');
    expect(fieldKindOf(syncedEntities.vitals.schema.shape.temperatureC)).toBe('real');
    expect(fieldKindOf(syncedEntities.prescription.schema.shape.admissionRecommended)).toBe('boolean');
  });
});
