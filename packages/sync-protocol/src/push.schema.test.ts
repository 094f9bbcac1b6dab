import { describe, expect, it } from 'vitest';
import {
  EDIT_REASON_MAX_LENGTH,
  GROUP_MAX_OPS,
  groupResultSchema,
  PUSH_MAX_GROUPS,
  pushRequestSchema,
  pushResponseSchema,
} from './push.schema';

const PATIENT_ID = '0190b8e5-6f3a-7cc2-9a43-3b1e6d0a1234';
const mutationId = (n: number) => `0190b8e5-6f3a-7cc2-9a43-${n.toString().padStart(12, '0')}`;

function group(seq: number, ops: unknown[] = [{ op: 'delete', entity: 'patient', id: PATIENT_ID }]) {
  return { mutationId: mutationId(seq), seq, createdAt: '2025-03-14T09:30:00.000Z', ops };
}

function editWithReason(reason: string) {
  return { op: 'update', entity: 'patient', id: PATIENT_ID, changed: { a: 1 }, before: { a: 2 }, reason };
}

function request(groups: unknown[]) {
  return { protocolVersion: 1, schemaVersion: 1, groups };
}

describe('push request', () => {
  it('accepts consecutive groups with each kind of row operation', () => {
    const parsed = pushRequestSchema.parse(
      request([
        group(7, [
          { op: 'create', entity: 'patient', id: PATIENT_ID, data: { name: 'Asha', phones: ['98'] } },
        ]),
        group(8, [
          {
            op: 'update',
            entity: 'patient',
            id: PATIENT_ID,
            changed: { phone: '99' },
            before: { phone: '98' },
          },
          { op: 'delete', entity: 'visit', id: PATIENT_ID },
        ]),
      ]),
    );
    expect(parsed.groups.map((g) => g.seq)).toEqual([7, 8]);
  });

  it('takes as many groups as one push may carry', () => {
    const groups = Array.from({ length: PUSH_MAX_GROUPS }, (_, i) => group(i + 1));
    expect(pushRequestSchema.parse(request(groups)).groups).toHaveLength(PUSH_MAX_GROUPS);
  });

  it("carries an edit's reason, trimmed", () => {
    const op = {
      op: 'update',
      entity: 'patient',
      id: PATIENT_ID,
      changed: { lastName: 'Sharma' },
      before: { lastName: 'Sarma' },
      reason: '  Spelling on the Aadhaar card  ',
    };
    const parsed = pushRequestSchema.parse(request([group(1, [op])]));
    expect(parsed.groups[0]?.ops[0]).toEqual({ ...op, reason: 'Spelling on the Aadhaar card' });
  });

  it.each([
    ['an unknown top-level field', { ...request([group(1)]), deviceId: 'd1' }],
    ['an unknown group field', request([{ ...group(1), clinicId: 'c1' }])],
    ['an unknown op field', request([group(1, [{ op: 'delete', entity: 'patient', id: PATIENT_ID, x: 1 }])])],
    [
      'data on a delete',
      request([group(1, [{ op: 'delete', entity: 'patient', id: PATIENT_ID, data: {} }])]),
    ],
    ['a create without data', request([group(1, [{ op: 'create', entity: 'patient', id: PATIENT_ID }])])],
    ['an unknown op', request([group(1, [{ op: 'upsert', entity: 'patient', id: PATIENT_ID, data: {} }])])],
    [
      'an update whose before names other fields',
      request([
        group(1, [{ op: 'update', entity: 'patient', id: PATIENT_ID, changed: { a: 1 }, before: { b: 1 } }]),
      ]),
    ],
    [
      'an update that changes nothing',
      request([group(1, [{ op: 'update', entity: 'patient', id: PATIENT_ID, changed: {}, before: {} }])]),
    ],
    [
      'a field name that is not an identifier',
      request([group(1, [{ op: 'create', entity: 'patient', id: PATIENT_ID, data: { _hidden: 1 } }])]),
    ],
    [
      'a non-JSON field value',
      request([group(1, [{ op: 'create', entity: 'patient', id: PATIENT_ID, data: { born: new Date(0) } }])]),
    ],
    ['a non-uuid row id', request([group(1, [{ op: 'delete', entity: 'patient', id: '42' }])])],
    ['an empty edit reason', request([group(1, [editWithReason('   ')])])],
    [
      'an edit reason over the limit',
      request([group(1, [editWithReason('x'.repeat(EDIT_REASON_MAX_LENGTH + 1))])]),
    ],
    [
      'a reason on a create',
      request([
        group(1, [
          { op: 'create', entity: 'patient', id: PATIENT_ID, data: { name: 'Asha' }, reason: 'typo' },
        ]),
      ]),
    ],
    ['seq 0', request([group(0)])],
    ['a fractional seq', request([{ ...group(1), seq: 1.5 }])],
    ['a non-ISO createdAt', request([{ ...group(1), createdAt: '14/03/2025' }])],
    ['a group without ops', request([group(1, [])])],
    [
      'too many ops',
      request([
        group(
          1,
          Array.from({ length: GROUP_MAX_OPS + 1 }, () => ({
            op: 'delete',
            entity: 'patient',
            id: PATIENT_ID,
          })),
        ),
      ]),
    ],
    ['no groups', request([])],
    [
      'more groups than one push takes',
      request(Array.from({ length: PUSH_MAX_GROUPS + 1 }, (_, i) => group(i + 1))),
    ],
    ['a gap in seq', request([group(1), group(3)])],
    ['descending seq', request([group(2), group(1)])],
    ['a repeated mutationId', request([group(1), { ...group(2), mutationId: mutationId(1) }])],
    ['a missing schemaVersion', { protocolVersion: 1, groups: [group(1)] }],
  ])('refuses %s', (_label, body) => {
    expect(pushRequestSchema.safeParse(body).success).toBe(false);
  });

  it('never passes a __proto__ key on to the parsed row', () => {
    const data = JSON.parse('{"__proto__":{"isAdmin":true},"name":"Asha"}');
    const op = { op: 'create', entity: 'patient', id: PATIENT_ID, data };
    const parsed = pushRequestSchema.parse(request([group(1, [op])]));
    const parsedOp = parsed.groups[0]?.ops[0];
    const parsedData = parsedOp?.op === 'create' ? parsedOp.data : undefined;
    expect(parsedData).toEqual({ name: 'Asha' });
    expect(Object.getPrototypeOf(parsedData)).toBe(Object.prototype);
  });
});

describe('push response', () => {
  const change = {
    seq: 120,
    entity: 'patient',
    id: PATIENT_ID,
    version: 3,
    op: 'update',
    data: { name: 'Asha', code: 'PT-CITY-2025-0007' },
  };

  it('accepts one result per status', () => {
    const response = pushResponseSchema.parse({
      ackSeq: 9,
      results: [
        {
          mutationId: mutationId(7),
          seq: 7,
          status: 'applied',
          code: 'CODE_REASSIGNED',
          message: 'new code',
          changes: [change],
        },
        {
          mutationId: mutationId(8),
          seq: 8,
          status: 'refused',
          code: 'CAPACITY_EXCEEDED',
          message: '500 of 500 patients',
        },
        { mutationId: mutationId(9), seq: 9, status: 'duplicate' },
      ],
    });
    expect(response.results.map((r) => r.status)).toEqual(['applied', 'refused', 'duplicate']);
  });

  it.each([
    ['a refusal without a code', { mutationId: mutationId(1), seq: 1, status: 'refused', message: 'no' }],
    [
      'a refusal with an unknown code',
      { mutationId: mutationId(1), seq: 1, status: 'refused', code: 'NOPE', message: 'no' },
    ],
    ['an unknown status', { mutationId: mutationId(1), seq: 1, status: 'pending' }],
    ['changes on a duplicate', { mutationId: mutationId(1), seq: 1, status: 'duplicate', changes: [] }],
    ['an unknown field', { mutationId: mutationId(1), seq: 1, status: 'applied', appliedAt: 'now' }],
  ])('refuses %s', (_label, result) => {
    expect(groupResultSchema.safeParse(result).success).toBe(false);
  });

  it('refuses a response without ackSeq', () => {
    expect(pushResponseSchema.safeParse({ results: [] }).success).toBe(false);
  });
});
