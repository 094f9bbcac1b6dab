import { describe, expect, it } from 'vitest';
import { keysToCamelCase, keysToSnakeCase } from './case';
import { serverAssignedColumns } from './sync-columns.schema';
import {
  SyncedEntityName,
  syncedColumns,
  syncedEntities,
  syncedEntityForTable,
  syncedEntityNames,
} from './synced-entities';
import { exampleFields, exampleInput, exampleRecord } from './test-support';

const tables = syncedEntityNames.map((name) => syncedEntities[name].table);

describe('syncedEntities registry', () => {
  it('lists the nineteen clinical tables once each, in snake_case', () => {
    expect(tables).toEqual([
      'patients',
      'medicines',
      'lab_tests',
      'pharmacies',
      'appointments',
      'visits',
      'vitals',
      'consultation_notes',
      'diagnoses',
      'prescriptions',
      'prescription_items',
      'lab_orders',
      'lab_results',
      'prescription_templates',
      'admissions',
      'treatment_logs',
      'discharge_summaries',
      'follow_ups',
      'documents',
    ]);
    expect(Object.keys(syncedEntities)).toEqual(SyncedEntityName.options);
  });

  it('finds an entity by its table', () => {
    expect(syncedEntityForTable('lab_results')).toBe('labResult');
    expect(syncedEntityForTable('users')).toBeNull();
  });

  it('lists parents before children (every *Id field points at an earlier entity)', () => {
    const references: Record<string, string | null> = {
      patientId: 'patient',
      visitId: 'visit',
      appointmentId: 'appointment',
      prescriptionId: 'prescription',
      labOrderId: 'labOrder',
      admissionId: 'admission',
      catalogueMedicineId: 'medicine',
      testId: 'labTest',
    };
    syncedEntityNames.forEach((name, index) => {
      for (const field of Object.keys(syncedEntities[name].schema.shape)) {
        const parent = references[field];
        if (parent)
          expect(syncedEntityNames.indexOf(parent as never), `${name}.${field}`).toBeLessThan(index);
      }
    });
  });

  describe.each(syncedEntityNames)('%s', (name) => {
    const { schema, input, patch } = syncedEntities[name];

    it('accepts the example record, input and a one-field patch', () => {
      expect(schema.safeParse(exampleRecord(name)).error).toBeUndefined();
      expect(input.safeParse(exampleInput(name)).error).toBeUndefined();
      const [field, value] = Object.entries(exampleFields[name])[0] ?? [];
      expect(patch.safeParse({ [field ?? '']: value }).error).toBeUndefined();
    });

    it('has the same fields in record, input and patch, the sync columns aside', () => {
      const recordFields = Object.keys(schema.shape).filter(
        (key) => key !== 'id' && !(serverAssignedColumns as readonly string[]).includes(key),
      );
      expect(Object.keys(input.shape).sort()).toEqual(['id', ...recordFields].sort());
      expect(Object.keys(patch.shape).sort()).toEqual([...recordFields].sort());
      expect(Object.keys(exampleFields[name]).sort()).toEqual([...recordFields].sort());
    });

    it('refuses server columns and unknown keys on create and patch', () => {
      expect(input.safeParse({ ...exampleInput(name), version: 3 }).success).toBe(false);
      expect(input.safeParse({ ...exampleInput(name), clinicId: exampleRecord(name).clinicId }).success).toBe(
        false,
      );
      expect(input.safeParse({ ...exampleInput(name), surprise: 1 }).success).toBe(false);
      expect(patch.safeParse({ id: exampleRecord(name).id }).success).toBe(false);
      expect(patch.parse({})).toEqual({});
    });

    it('maps to snake_case columns and back without loss', () => {
      const record = schema.parse(exampleRecord(name));
      const row = keysToSnakeCase(record);
      expect(Object.keys(row)).toEqual(syncedColumns(name));
      expect(schema.parse(keysToCamelCase(row))).toEqual(record);
    });
  });
});
