import { describe, expect, it } from 'vitest';
import {
  type ChangeRun,
  changesOfRuns,
  PULL_DEFAULT_LIMIT,
  PULL_MAX_LIMIT,
  pullRequestSchema,
  pullResponseSchema,
  pullResponseV1Schema,
  runChangeCount,
} from './pull.schema';

const ROW_ID = '0190b8e5-6f3a-7cc2-9a43-3b1e6d0a1234';
const OTHER_ID = '0190b8e5-6f3a-7cc2-9a43-3b1e6d0a5678';

function change(seq: number) {
  return { seq, entity: 'patient', id: ROW_ID, version: 1, op: 'create', data: { name: 'Asha' } };
}

const clinic = {
  status: 'active',
  limits: { patients: 500, doctors: 5, receptionists: 3, labTechs: null },
  usage: { patients: 498, doctors: 2, receptionists: 1, labTechs: 0 },
  lease: { issuedAt: '2025-03-14T09:00:00.000Z', expiresAt: '2025-03-21T09:00:00.000Z', token: 'eyJ.sig' },
};

function run(seqs: readonly number[], entity = 'patient') {
  return {
    entity,
    fields: ['id', 'name'],
    rows: seqs.map((seq) => [seq, 1, 'create', ROW_ID, 'Asha']),
  };
}

function response(overrides: Record<string, unknown> = {}) {
  return {
    runs: [run([4]), run([9], 'visit')],
    hasMore: false,
    nextCursor: 9,
    ackSeq: 12,
    decisions: [
      { mutationId: ROW_ID, seq: 12, status: 'refused', code: 'FORBIDDEN', message: 'Lab techs may not' },
    ],
    clinic,
    ...overrides,
  };
}

describe('pull request', () => {
  it('parses the query string into numbers and fills in the default limit', () => {
    expect(pullRequestSchema.parse({ cursor: '0', protocolVersion: '1', schemaVersion: '1' })).toEqual({
      cursor: 0,
      limit: PULL_DEFAULT_LIMIT,
      protocolVersion: 1,
      schemaVersion: 1,
    });
    expect(
      pullRequestSchema.parse({ cursor: 42, limit: 10, protocolVersion: 1, schemaVersion: 1 }).limit,
    ).toBe(10);
  });

  it.each([
    ['a negative cursor', { cursor: '-1' }],
    ['a non-numeric cursor', { cursor: 'abc' }],
    ['an exponent cursor', { cursor: '1e3' }],
    ['a zero limit', { cursor: '0', limit: '0' }],
    ['a limit above the maximum', { cursor: '0', limit: String(PULL_MAX_LIMIT + 1) }],
    ['an unknown parameter', { cursor: '0', since: '2025-01-01' }],
    ['a missing cursor', {}],
  ])('refuses %s', (_label, query) => {
    expect(pullRequestSchema.safeParse({ protocolVersion: '1', schemaVersion: '1', ...query }).success).toBe(
      false,
    );
  });
});

describe('pull response (protocol 2: change runs)', () => {
  it('accepts a page with change runs, decisions and the clinic snapshot', () => {
    const parsed = pullResponseSchema.parse(response());
    expect(parsed.clinic.limits.labTechs).toBeNull();
    expect(parsed.runs.map((r) => r.entity)).toEqual(['patient', 'visit']);
    expect(runChangeCount(parsed.runs)).toBe(2);
  });

  it('accepts an empty page whose cursor stays put', () => {
    expect(pullResponseSchema.safeParse(response({ runs: [], nextCursor: 9 })).success).toBe(true);
  });

  it.each([
    ['changes out of order across runs', { runs: [run([9]), run([4], 'visit')] }],
    ['changes out of order within a run', { runs: [run([9, 4])] }],
    ['a repeated seq', { runs: [run([4, 4])], nextCursor: 4 }],
    ['nextCursor before the last change', { nextCursor: 5 }],
    ['an unknown top-level field', { serverTime: 'now' }],
    ['version-1 change objects', { runs: undefined, changes: [change(4), change(9)] }],
    ['an unknown run field', { runs: [{ ...run([4]), clinicId: 'c1' }], nextCursor: 4 }],
    ['a run without rows', { runs: [{ ...run([4]), rows: [] }], nextCursor: 4 }],
    ['a run without the id field', { runs: [{ ...run([4]), fields: ['uid', 'name'] }], nextCursor: 4 }],
    ['a field named twice', { runs: [{ ...run([4]), fields: ['id', 'id'] }], nextCursor: 4 }],
    ['a field name that is no identifier', { runs: [{ ...run([4]), fields: ['id', '__proto__ x'] }] }],
    ['a row with a value missing', { runs: [{ ...run([4]), rows: [[4, 1, 'create', ROW_ID]] }] }],
    ['a row with an unknown op', { runs: [{ ...run([4]), rows: [[4, 1, 'upsert', ROW_ID, 'A']] }] }],
    ['a row with version 0', { runs: [{ ...run([4]), rows: [[4, 0, 'create', ROW_ID, 'A']] }] }],
    ['a row whose id is no UUID', { runs: [{ ...run([4]), rows: [[4, 1, 'create', 'p-1', 'A']] }] }],
    ['an unknown clinic status', { clinic: { ...clinic, status: 'deleted' } }],
    ['a negative usage count', { clinic: { ...clinic, usage: { ...clinic.usage, patients: -1 } } }],
    ['an unknown limit', { clinic: { ...clinic, limits: { ...clinic.limits, nurses: 2 } } }],
    [
      'a lease that expires before it is issued',
      { clinic: { ...clinic, lease: { ...clinic.lease, expiresAt: '2025-03-13T09:00:00.000Z' } } },
    ],
    ['a duplicate among decisions', { decisions: [{ mutationId: ROW_ID, seq: 1, status: 'duplicate' }] }],
    ['a missing hasMore', { hasMore: undefined }],
  ])('refuses %s', (_label, overrides) => {
    expect(pullResponseSchema.safeParse(response(overrides)).success).toBe(false);
  });
});

describe('pull response (protocol 1: change objects)', () => {
  const v1 = (overrides: Record<string, unknown> = {}) => {
    const { runs: _runs, ...rest } = response();
    return { ...rest, changes: [change(4), change(9)], ...overrides };
  };

  it('accepts change objects in ascending seq order', () => {
    expect(pullResponseV1Schema.parse(v1()).changes.map((c) => c.seq)).toEqual([4, 9]);
  });

  it.each([
    ['changes out of order', { changes: [change(9), change(4)] }],
    ['an unknown change field', { changes: [{ ...change(4), clinicId: 'c1' }], nextCursor: 4 }],
    ['change runs', { changes: undefined, runs: [run([4])] }],
  ])('refuses %s', (_label, overrides) => {
    expect(pullResponseV1Schema.safeParse(v1(overrides)).success).toBe(false);
  });
});

describe('changesOfRuns', () => {
  it('reads runs back as the change objects of protocol 1, in order', () => {
    const runs: ChangeRun[] = [
      { entity: 'patient', fields: ['id', 'name', 'phone'], rows: [[3, 2, 'update', ROW_ID, 'Asha', null]] },
      {
        entity: 'visit',
        fields: ['status', 'id'],
        rows: [
          [5, 1, 'create', 'waiting', OTHER_ID],
          [7, 4, 'delete', 'cancelled', ROW_ID],
        ],
      },
    ];
    expect(changesOfRuns(runs)).toEqual([
      {
        seq: 3,
        entity: 'patient',
        id: ROW_ID,
        version: 2,
        op: 'update',
        data: { id: ROW_ID, name: 'Asha', phone: null },
      },
      {
        seq: 5,
        entity: 'visit',
        id: OTHER_ID,
        version: 1,
        op: 'create',
        data: { status: 'waiting', id: OTHER_ID },
      },
      {
        seq: 7,
        entity: 'visit',
        id: ROW_ID,
        version: 4,
        op: 'delete',
        data: { status: 'cancelled', id: ROW_ID },
      },
    ]);
  });
});
