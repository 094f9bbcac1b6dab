import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalSqliteDialect } from './local-sqlite.dialect';
import type { LocalStore } from './local-store';
import { runMigrations } from './migration.runner';
import { LOCAL_MIGRATIONS } from './migrations/local-migrations';
import { patientMatchExpression } from './patient-search';
import {
  change,
  makeTempDir,
  openReadyStore,
  patientInput,
  pullPage,
  reception,
  serverPatient,
  uuid,
} from './test-support';

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

const indexed = () => Number(store.sqlite.prepare('SELECT count(*) FROM patients_fts').pluck().get());

describe('store.searchPatients while reception types', () => {
  it('reads whole and partial patient codes from the code index, in code order', () => {
    expect(store.searchPatients('PT-SKH-2026-9876')).toEqual([
      { match: 'code', patient: expect.objectContaining({ firstName: 'Meena' }) },
    ]);
    expect(names('pt-skh-2026-98')).toEqual(['Meena']);
    expect(names('PT-SKH-2026-000')).toEqual(['Ravi', 'Ravindra', 'Asha', 'Kumar', 'राम', 'José']);
    expect(store.searchPatients('PT-SKH-', { limit: 2 }).map((result) => result.match)).toEqual([
      'code',
      'code',
    ]);
    expect(names('PT-XYZ')).toEqual([]);
  });

  it('finds a code by its number alone, before phone numbers holding the digits', () => {
    expect(names('0003')).toEqual(['Asha']);
    expect(names('9876')).toEqual(['Meena', 'Ravi']);
  });

  it('ranks a number ending in the digits, then one starting with them, then one holding them', () => {
    store.write(reception, (w) => {
      w.create('patient', patientInput(uuid(8), { firstName: 'Middle', phone: '+919123456000' }));
      w.create('patient', patientInput(uuid(9), { firstName: 'End', phone: '+919000003456' }));
      w.create('patient', patientInput(uuid(10), { firstName: 'Start', phone: '+913456000000' }));
    });
    expect(names('3456')).toEqual(['End', 'Start', 'Middle']);
    expect(names('43210')).toEqual(['Ravi']);
  });

  it('matches one to three digits only at the start of a number, in number order', () => {
    expect(names('9')).toEqual(['Asha', 'Kumar', 'Ravindra', 'Ravi']);
    expect(names('98')).toEqual(['Ravindra', 'Ravi']);
    expect(names('+91 8')).toEqual(['राम']);
    expect(names('8')).toEqual(['राम']);
    expect(names('654')).toEqual([]);
  });

  it('lists first names starting with one or two letters in name order, then other name matches', () => {
    for (const typed of ['r', 'Ra']) {
      expect(names(typed).slice(0, 2)).toEqual(['Ravi', 'Ravindra']);
      expect(names(typed).slice(2).sort()).toEqual(['Kumar', 'Meena']);
    }
    expect(store.searchPatients('R', { limit: 2 }).map((result) => result.patient.firstName)).toEqual([
      'Ravi',
      'Ravindra',
    ]);
  });

  it('ranks whole words first, then the last word as a prefix, then every word as a prefix', () => {
    expect(names('ravi').slice(0, 2).sort()).toEqual(['Kumar', 'Ravi']);
    expect(names('ravi').at(-1)).toBe('Ravindra');
    store.write(reception, (w) => {
      w.create('patient', patientInput(uuid(8), { firstName: 'Ravindra', lastName: 'Kumbhar' }));
    });
    // "ravi kum": Ravi Kumar and Kumar Ravi hold "ravi" whole; Ravindra Kumbhar only as a prefix.
    expect(names('ravi kum').at(-1)).toBe('Ravindra');
    expect(names('ravi kum')).toHaveLength(3);
  });

  it('returns the limit from thousands of matches, newest first among equals', () => {
    const many = Array.from({ length: 2_500 }, (_, n) =>
      change(
        n + 1,
        'patient',
        serverPatient(uuid(1_000 + n), 1, { firstName: 'Sameer', lastName: `Shah${n}`, phone: null }),
      ),
    );
    store.applyPull(pullPage(many));
    const found = store.searchPatients('sameer', { limit: 5 });
    expect(found.map((result) => result.patient.lastName)).toEqual([
      'Shah2499',
      'Shah2498',
      'Shah2497',
      'Shah2496',
      'Shah2495',
    ]);
    expect(store.searchPatients('s', { limit: 200 })).toHaveLength(200);
    expect(store.searchPatients('sa sh', { limit: 3 })).toHaveLength(3);
  });

  it('keeps the index to live patients through writes, pulls and deletes', () => {
    expect(indexed()).toBe(7);
    store.write(reception, (w) => {
      w.update('patient', uuid(1), { phone: '+919800011223' });
      w.delete('patient', uuid(7));
    });
    expect(names('43210')).toEqual([]);
    expect(names('11223')).toEqual(['Ravi']);
    expect(names('meena')).toEqual([]);
    expect(names('PT-SKH-2026-9876')).toEqual([]);
    expect(indexed()).toBe(6);

    store.applyPull(
      pullPage([
        change(1, 'patient', serverPatient(uuid(20), 1, { firstName: 'Pulled', phone: '+917000012345' })),
        change(
          2,
          'patient',
          serverPatient(uuid(21), 1, { firstName: 'Tombstone', deletedAt: '2026-03-02T10:00:00.000Z' }),
          'delete',
        ),
      ]),
    );
    expect(names('12345')).toEqual(['Pulled']);
    expect(names('tombstone')).toEqual([]);
    store.applyPull(
      pullPage([
        change(
          3,
          'patient',
          serverPatient(uuid(20), 2, { firstName: 'Pulled', deletedAt: '2026-03-03T10:00:00.000Z' }),
          'delete',
        ),
      ]),
    );
    expect(names('12345')).toEqual([]);
    expect(indexed()).toBe(6);
  });

  it('indexes the phone endings of a large pulled page and of a rebuild', () => {
    const many = Array.from({ length: 100 }, (_, n) =>
      change(
        n + 1,
        'patient',
        serverPatient(uuid(100 + n), 1, {
          firstName: `Bulk${n}`,
          phone: `+9170000${String(n).padStart(5, '0')}`,
          deletedAt: n === 0 ? '2026-03-02T10:00:00.000Z' : null,
        }),
      ),
    );
    store.applyPull(pullPage(many));
    expect(names('00042')).toEqual(['Bulk42']);
    expect(names('bulk0')).toEqual([]);
    expect(indexed()).toBe(7 + 99);
    store.sqlite.exec("INSERT INTO patients_fts (patients_fts) VALUES ('delete-all')");
    store.rebuildPatientSearch();
    expect(names('00042')).toEqual(['Bulk42']);
    expect(names('43210')).toEqual(['Ravi']);
    expect(indexed()).toBe(7 + 99);
  });
});

describe('the patient-search-index migration', () => {
  it('re-indexes the patients of an existing database with the new index', async () => {
    await store.close();
    const file = join(temp.dir, 'older.sqlite');
    const sqlite = new Database(file);
    const db = new Kysely<unknown>({ dialect: new LocalSqliteDialect(sqlite) });
    await runMigrations(db, LOCAL_MIGRATIONS.slice(0, -1), () => new Date());
    const insert = sqlite.prepare(
      'INSERT INTO patients (id, version, patient_code, first_name, phone, deleted_at) VALUES (?, 1, ?, ?, ?, ?)',
    );
    insert.run(uuid(1), 'PT-SKH-2026-0001', 'Ravi', '+919876543210', null);
    insert.run(uuid(2), 'PT-SKH-2026-0002', 'Gone', '+919876500000', '2026-03-02T10:00:00.000Z');
    await db.destroy();

    store = await openReadyStore(file);
    expect(names('43210')).toEqual(['Ravi']);
    expect(names('PT-SKH-2026')).toEqual(['Ravi']);
    expect(indexed()).toBe(1);
  });
});
