import { describe, expect, it } from 'vitest';
import { finalizedAtMatchesStatus, isFinalized } from './finalization';
import { syncedEntities } from './synced-entities';
import { exampleInput } from './test-support';

const at = '2026-11-28T05:00:00.000Z';
const finalizable = ['consultationNote', 'prescription', 'labResult', 'dischargeSummary'] as const;

describe('finalization', () => {
  it('pairs final with finalizedAt and draft without it', () => {
    expect(finalizedAtMatchesStatus({ status: 'final', finalizedAt: at })).toBe(true);
    expect(finalizedAtMatchesStatus({ status: 'final', finalizedAt: null })).toBe(false);
    expect(finalizedAtMatchesStatus({ status: 'draft', finalizedAt: null })).toBe(true);
    expect(finalizedAtMatchesStatus({ status: 'draft', finalizedAt: at })).toBe(false);
    expect(finalizedAtMatchesStatus({ status: 'cancelled', finalizedAt: null })).toBe(true);
    expect(finalizedAtMatchesStatus({ status: 'cancelled', finalizedAt: at })).toBe(true);
    expect(isFinalized({ finalizedAt: at })).toBe(true);
    expect(isFinalized({ finalizedAt: null })).toBe(false);
  });

  it.each(finalizable)('is enforced by the %s schemas', (name) => {
    const { input } = syncedEntities[name];
    expect(input.safeParse({ ...exampleInput(name), status: 'final', finalizedAt: at }).success).toBe(true);
    expect(input.safeParse({ ...exampleInput(name), status: 'final', finalizedAt: null }).success).toBe(
      false,
    );
    expect(input.safeParse({ ...exampleInput(name), status: 'draft', finalizedAt: at }).success).toBe(false);
  });
});
