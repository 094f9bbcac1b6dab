import { describe, expect, it } from 'vitest';
import { PULL_DEFAULT_LIMIT, PULL_MAX_LIMIT, pullRequestSchema, pullResponseSchema } from './pull.schema';

const ROW_ID = '0190b8e5-6f3a-7cc2-9a43-3b1e6d0a1234';

function change(seq: number) {
  return { seq, entity: 'patient', id: ROW_ID, version: 1, op: 'create', data: { name: 'Asha' } };
}

const clinic = {
  status: 'active',
  limits: { patients: 500, doctors: 5, receptionists: 3, labTechs: null },
  usage: { patients: 498, doctors: 2, receptionists: 1, labTechs: 0 },
  lease: { issuedAt: '2025-03-14T09:00:00.000Z', expiresAt: '2025-03-21T09:00:00.000Z', token: 'eyJ.sig' },
};

function response(overrides: Record<string, unknown> = {}) {
  return {
    changes: [change(4), change(9)],
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

describe('pull response', () => {
  it('accepts a page with changes, decisions and the clinic snapshot', () => {
    const parsed = pullResponseSchema.parse(response());
    expect(parsed.clinic.limits.labTechs).toBeNull();
    expect(parsed.changes.map((c) => c.seq)).toEqual([4, 9]);
  });

  it('accepts an empty page whose cursor stays put', () => {
    expect(pullResponseSchema.safeParse(response({ changes: [], nextCursor: 9 })).success).toBe(true);
  });

  it.each([
    ['changes out of order', { changes: [change(9), change(4)] }],
    ['a repeated seq', { changes: [change(4), change(4)], nextCursor: 4 }],
    ['nextCursor before the last change', { nextCursor: 5 }],
    ['an unknown top-level field', { serverTime: 'now' }],
    ['an unknown change field', { changes: [{ ...change(4), clinicId: 'c1' }], nextCursor: 4 }],
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
