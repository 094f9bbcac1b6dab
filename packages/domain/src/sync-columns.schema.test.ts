import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { orNull } from './common.schema';
import { entityInput, entityPatch, entitySchema, serverAssignedColumns } from './sync-columns.schema';

const fields = { name: z.string(), note: orNull(z.string()), done: z.boolean().default(false) };
const id = '01936b2e-0000-7000-8000-000000000001';
const sync = {
  id,
  clinicId: '01936b2e-0000-7000-8000-0000000000c1',
  version: 0,
  createdAt: '2026-11-28T04:30:00.000Z',
  updatedAt: '2026-11-28T04:30:00+05:30',
  deletedAt: null,
};

describe('entitySchema', () => {
  const Thing = entitySchema(fields);

  it('adds the sync columns to the fields', () => {
    expect(Thing.parse({ ...sync, name: 'a', note: null, done: true })).toEqual({
      ...sync,
      name: 'a',
      note: null,
      done: true,
    });
    expectTypeOf<z.infer<typeof Thing>>().toEqualTypeOf<{
      id: string;
      clinicId: string;
      version: number;
      createdAt: string;
      updatedAt: string;
      deletedAt: string | null;
      name: string;
      note: string | null;
      done: boolean;
    }>();
  });

  it('strips unknown keys so an older device survives a newer server', () => {
    expect(Thing.parse({ ...sync, name: 'a', note: null, done: true, addedLater: 1 })).not.toHaveProperty(
      'addedLater',
    );
  });

  it('validates the sync columns', () => {
    expect(Thing.safeParse({ ...sync, name: 'a', version: -1 }).success).toBe(false);
    expect(Thing.safeParse({ ...sync, name: 'a', id: 'nope' }).success).toBe(false);
    expect(Thing.safeParse({ ...sync, name: 'a', createdAt: '2026-11-28' }).success).toBe(false);
  });
});

describe('entityInput', () => {
  const ThingInput = entityInput(fields);

  it('takes the id and fields, filling nullable and defaulted fields', () => {
    expect(ThingInput.parse({ id, name: 'a' })).toEqual({ id, name: 'a', note: null, done: false });
    expectTypeOf<z.input<typeof ThingInput>>().toEqualTypeOf<{
      id: string;
      name: string;
      note?: string | null | undefined;
      done?: boolean | undefined;
    }>();
  });

  it('refuses server-assigned columns and unknown keys', () => {
    for (const column of serverAssignedColumns) {
      expect(ThingInput.safeParse({ id, name: 'a', [column]: sync[column] }).success, column).toBe(false);
    }
    expect(ThingInput.safeParse({ id, name: 'a', extra: 1 }).success).toBe(false);
    expect(ThingInput.safeParse({ name: 'a' }).success).toBe(false);
  });
});

describe('entityPatch', () => {
  const ThingPatch = entityPatch(fields);

  it('leaves omitted fields out instead of applying create defaults', () => {
    expect(ThingPatch.parse({})).toEqual({});
    expect(ThingPatch.parse({ note: null })).toEqual({ note: null });
    expect(ThingPatch.parse({ done: true })).toEqual({ done: true });
  });

  it('still validates the fields it gets and refuses ids and unknown keys', () => {
    expect(ThingPatch.safeParse({ name: 3 }).success).toBe(false);
    expect(ThingPatch.safeParse({ id }).success).toBe(false);
    expect(ThingPatch.safeParse({ version: 2 }).success).toBe(false);
    expectTypeOf<z.infer<typeof ThingPatch>>().toEqualTypeOf<{
      name?: string | undefined;
      note?: string | null | undefined;
      done?: boolean | undefined;
    }>();
  });
});
