import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EDIT_REASON_MAX_LENGTH, GROUP_MAX_OPS, PUSH_MAX_GROUPS, pushRequestSchema } from './push.schema';
import { checkPushRequest } from './push-request.check';

const UUIDS = [
  '0190b8e5-6f3a-7cc2-9a43-3b1e6d0a1234',
  '0190B8E5-6F3A-7CC2-9A43-3B1E6D0A1235',
  '00000000-0000-0000-0000-000000000000',
  '0190b8e5-6f3a-0cc2-9a43-3b1e6d0a1234', // version digit 0
  '0190b8e5-6f3a-7cc2-7a43-3b1e6d0a1234', // variant 7
  '0190b8e56f3a7cc29a433b1e6d0a1234',
  '',
];

/** Mostly valid values of each part of a request, with near misses mixed in. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, miss: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 30, arbitrary: valid }, { weight: 1, arbitrary: miss });

const uuid = mostly(fc.uuid({ version: [4, 7] }), fc.oneof(fc.constantFrom(...UUIDS), fc.string()));
const positive = mostly(
  fc.integer({ min: 1, max: 1000 }),
  fc.constantFrom(0, -1, 1.5, Number.MAX_SAFE_INTEGER, 2 ** 53, '1', null),
);
const timestamp = mostly(
  fc.constantFrom('2025-03-14T09:30:00.000Z', '2025-03-14T09:30:00Z', '2025-03-14T09:30:00.123456Z'),
  fc.constantFrom(
    '2025-03-14T09:30Z',
    '2025-03-14T09:30:00+05:30',
    '2025-03-14',
    '2025-13-14T09:30:00.000Z',
    ' 2025-03-14T09:30:00.000Z',
  ),
);
const entity = mostly(
  fc.constantFrom('patient', 'labResult', 'x'),
  fc.constantFrom('Patient', '1patient', 'lab_result', '', 7),
);
const fieldName = mostly(
  fc.constantFrom('firstName', 'blood_sugar', 'a', 'A9', 'toString'),
  fc.constantFrom('_x', '9a', 'a-b', ''),
);
const rowData = mostly(
  fc.dictionary(fieldName, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.constantFrom(null, [], 'x', [1]),
);
const reason = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom(
    '  ',
    '  Spelling  ',
    'x'.repeat(EDIT_REASON_MAX_LENGTH),
    ` ${'x'.repeat(EDIT_REASON_MAX_LENGTH)} `,
    'y'.repeat(EDIT_REASON_MAX_LENGTH + 1),
    5,
    null,
  ),
);
/** Now and then a key the message does not have (or one its kind does not have). */
const withExtra = <T extends object>(arb: fc.Arbitrary<T>) =>
  fc
    .tuple(arb, mostly(fc.constant(null), fc.constantFrom({ extra: 1 }, { data: {} }, { reason: 'why' })))
    .map(([value, more]) => (more ? { ...value, ...more } : value));

const op = fc.oneof(
  fc.record({ op: fc.constant('create'), entity, id: uuid, data: rowData }),
  fc
    .record({ op: fc.constant('update'), entity, id: uuid, changed: rowData, before: rowData })
    .chain((update) =>
      fc.oneof(
        // `before` naming the same fields as `changed`, as a device sends it.
        { weight: 4, arbitrary: fc.constant({ ...update, before: update.changed }) },
        { weight: 1, arbitrary: fc.constant(update) },
        { weight: 4, arbitrary: reason.map((r) => ({ ...update, before: update.changed, reason: r })) },
      ),
    ),
  fc.record({ op: mostly(fc.constant('delete'), fc.constantFrom('upsert', 'DELETE')), entity, id: uuid }),
);

const group = withExtra(
  fc.record({
    mutationId: uuid,
    seq: positive,
    createdAt: timestamp,
    ops: mostly(fc.array(withExtra(op), { minLength: 1, maxLength: 3 }), fc.constant([])),
  }),
);
const body = mostly(
  withExtra(
    fc.record({
      protocolVersion: positive,
      schemaVersion: positive,
      groups: fc
        .tuple(
          mostly(fc.array(group, { minLength: 1, maxLength: 3 }), fc.constant([])),
          fc.integer({ min: 1, max: 50 }),
          mostly(fc.constant(true), fc.constant(false)),
          mostly(fc.constant(false), fc.constant(true)),
        )
        .map(([groups, first, consecutive, duplicate]) =>
          groups.map((g, i) => ({
            ...g,
            ...(consecutive ? { seq: first + i } : {}),
            ...(duplicate && i > 0 ? { mutationId: groups[0]?.mutationId } : {}),
          })),
        ),
    }),
  ),
  fc.constantFrom(null, [], 'push'),
);

describe('the fast check of a push request', () => {
  it('accepts exactly the bodies the schema accepts, and returns what the schema returns', () => {
    let accepted = 0;
    fc.assert(
      fc.property(body, (generated) => {
        const json = JSON.parse(JSON.stringify(generated)) as unknown;
        const schema = pushRequestSchema.safeParse(json);
        const fast = checkPushRequest(structuredClone(json));
        expect(fast !== null).toBe(schema.success);
        if (fast !== null) {
          accepted++;
          expect(fast).toEqual(schema.data);
        }
      }),
      { numRuns: 3000, seed: 4 },
    );
    // The generator reaches both sides.
    expect(accepted).toBeGreaterThan(500);
  });

  it('takes a full request of the largest size, and refuses one group or op more', () => {
    const op = { op: 'delete', entity: 'patient', id: UUIDS[0] };
    const group = (seq: number, ops: unknown[] = [op]) => ({
      mutationId: `0190b8e5-6f3a-7cc2-9a43-${seq.toString().padStart(12, '0')}`,
      seq,
      createdAt: '2025-03-14T09:30:00.000Z',
      ops,
    });
    const request = (groups: unknown[]) => ({ protocolVersion: 2, schemaVersion: 1, groups });
    const full = Array.from({ length: PUSH_MAX_GROUPS }, (_, i) => group(i + 1));
    expect(checkPushRequest(request(full))?.groups).toHaveLength(PUSH_MAX_GROUPS);
    expect(checkPushRequest(request([...full, group(PUSH_MAX_GROUPS + 1)]))).toBeNull();
    expect(checkPushRequest(request([group(1, Array(GROUP_MAX_OPS).fill(op))]))).not.toBeNull();
    expect(checkPushRequest(request([group(1, Array(GROUP_MAX_OPS + 1).fill(op))]))).toBeNull();
  });

  it('leaves values nested deeper than it checks to the schema', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    const request = {
      protocolVersion: 2,
      schemaVersion: 1,
      groups: [
        {
          mutationId: UUIDS[0],
          seq: 1,
          createdAt: '2025-03-14T09:30:00.000Z',
          ops: [{ op: 'create', entity: 'patient', id: UUIDS[0], data: { deep } }],
        },
      ],
    };
    expect(checkPushRequest(request)).toBeNull();
    expect(pushRequestSchema.safeParse(request).success).toBe(true);
  });
});
