import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalStore } from './local-store';
import { patientMatchExpression } from './patient-search';
import { makeTempDir, openReadyStore, patientInput, reception, uuid } from './test-support';

let temp: ReturnType<typeof makeTempDir>;
let store: LocalStore;

const people = [
  { n: 1, firstName: 'Ravi', lastName: 'Kumar', phone: '+919876543210', patientCode: 'PT-SKH-2026-0001' },
  { n: 2, firstName: 'Ravindra', lastName: 'Patil', phone: '+919812300000', patientCode: 'PT-SKH-2026-0002' },
  { n: 3, firstName: 'Asha', lastName: "D'Souza", phone: '+919000011111', patientCode: 'PT-SKH-2026-0003' },
  { n: 4, firstName: 'Kumar', lastName: 'Ravi', phone: '+919111122222', patientCode: 'PT-SKH-2026-0004' },
  { n: 5, firstName: 'राम', lastName: 'शर्मा', phone: '+918888877777', patientCode: 'PT-SKH-2026-0005' },
  { n: 6, firstName: 'José', lastName: 'Nuñez', phone: '+917777766666', patientCode: 'PT-SKH-2026-0006' },
  { n: 7, firstName: 'Meena', lastName: 'Rao', phone: '+916666655555', patientCode: 'PT-SKH-2026-9876' },
];

beforeEach(async () => {
  temp = makeTempDir();
  store = await openReadyStore(join(temp.dir, 'clinic.sqlite'));
  store.write(reception, (w) => {
    for (const { n, ...fields } of people) w.create('patient', patientInput(uuid(n), fields));
  });
});
afterEach(async () => {
  await store.close();
  temp.cleanup();
});

const names = (query: string) => store.searchPatients(query).map((result) => result.patient.firstName);

describe('store.searchPatients', () => {
  it('finds names by prefix in any word order, closest match first', () => {
    expect(names('ravi')).toEqual(expect.arrayContaining(['Ravi', 'Ravindra', 'Kumar']));
    expect(names('rav kum')).toEqual(expect.arrayContaining(['Ravi', 'Kumar']));
    expect(names('rav kum')).not.toContain('Ravindra');
    expect(names('ravind')).toEqual(['Ravindra']);
  });

  it('puts an exact patient code first, then an exact phone number', () => {
    expect(store.searchPatients('pt-skh-2026-0004')[0]).toMatchObject({
      match: 'code',
      patient: { firstName: 'Kumar' },
    });
    const byPhone = store.searchPatients('98765 43210');
    expect(byPhone[0]).toMatchObject({ match: 'phone', patient: { firstName: 'Ravi' } });
    // Four digits are not a whole number: they match phone digits and code numbers alike.
    expect(store.searchPatients('9876').map((result) => result.patient.firstName)).toEqual(
      expect.arrayContaining(['Ravi', 'Meena']),
    );
  });

  it('finds a phone by any four or more consecutive digits', () => {
    expect(names('6543')).toEqual(['Ravi']);
    expect(names('00001')).toEqual(['Asha']);
    expect(names('+91 98123')).toEqual(['Ravindra']);
  });

  it('handles scripts with combining marks and diacritics', () => {
    expect(names('राम')).toEqual(['राम']);
    expect(names('शर्')).toEqual(['राम']);
    expect(names('jose nunez')).toEqual(['José']);
  });

  it.each([
    '"',
    "d'souza",
    'ravi"',
    '(ravi OR',
    'ravi AND NOT kumar',
    'NEAR(ravi kumar)',
    'name:ravi',
    '*',
    '^ravi',
    '-',
    '""""',
    "'; DROP TABLE patients; --",
    '{ravi}',
    '\u0000',
  ])('never fails on user input %j', (query) => {
    expect(() => store.searchPatients(query)).not.toThrow();
  });

  it('treats typed operators as words, not FTS syntax', () => {
    expect(names("d'souza")).toEqual(['Asha']);
    expect(names('ravi OR meena')).toEqual([]);
    expect(names('name:ravi')).toEqual([]);
    expect(patientMatchExpression('(ravi OR "kum')).toBe('"ravi"* "or"* "kum"*');
    expect(patientMatchExpression('  ?! ')).toBeNull();
  });

  it('forgets deleted patients and follows edits', () => {
    store.write(reception, (w) => {
      w.delete('patient', uuid(1));
      w.update('patient', uuid(2), { firstName: 'Rohan' });
    });
    expect(names('ravi')).toEqual(['Kumar']);
    expect(names('rohan')).toEqual(['Rohan']);
  });

  it('respects the limit', () => {
    expect(store.searchPatients('pt', { limit: 3 })).toHaveLength(3);
  });

  it('rebuilds the index from the table', () => {
    store.sqlite.exec("INSERT INTO patients_fts (patients_fts) VALUES ('delete-all')");
    expect(names('ravi')).toEqual([]);
    store.rebuildPatientSearch();
    expect(names('meena')).toEqual(['Meena']);
  });
});
