import { describe, expect, it } from 'vitest';
import { LEASE_MAX_SIZE, leaseRequestSchema, leaseResponseSchema } from './lease.schema';

const versions = { protocolVersion: 1, schemaVersion: 1 };

describe('lease request', () => {
  it('accepts a yearly patient-code block and a daily queue-token block', () => {
    expect(
      leaseRequestSchema.parse({ ...versions, counter: 'patient_code', scope: '2025', size: 50 }).size,
    ).toBe(50);
    expect(
      leaseRequestSchema.safeParse({ ...versions, counter: 'queue_token', scope: '2025-03-14', size: 200 })
        .success,
    ).toBe(true);
  });

  it.each([
    ['an unknown counter', { counter: 'invoice_number', scope: '2025', size: 1 }],
    ['a date scope for patient codes', { counter: 'patient_code', scope: '2025-03-14', size: 1 }],
    ['a year scope for queue tokens', { counter: 'queue_token', scope: '2025', size: 1 }],
    ['an impossible date', { counter: 'queue_token', scope: '2025-02-30', size: 1 }],
    ['size 0', { counter: 'patient_code', scope: '2025', size: 0 }],
    ['a size above the maximum', { counter: 'patient_code', scope: '2025', size: LEASE_MAX_SIZE + 1 }],
    ['an unknown field', { counter: 'patient_code', scope: '2025', size: 1, deviceId: 'd1' }],
  ])('refuses %s', (_label, body) => {
    expect(leaseRequestSchema.safeParse({ ...versions, ...body }).success).toBe(false);
  });
});

describe('lease response', () => {
  const lease = {
    leaseId: '0190b8e5-6f3a-7cc2-9a43-3b1e6d0a1234',
    counter: 'patient_code',
    scope: '2025',
    from: 101,
    to: 150,
    issuedAt: '2025-03-14T09:00:00.000Z',
  };

  it('accepts an inclusive block, including a single number', () => {
    expect(leaseResponseSchema.safeParse(lease).success).toBe(true);
    expect(leaseResponseSchema.safeParse({ ...lease, to: 101 }).success).toBe(true);
  });

  it.each([
    ['a block that ends before it starts', { to: 100 }],
    ['a block starting at 0', { from: 0 }],
    ['an unknown field', { owner: 'd1' }],
  ])('refuses %s', (_label, overrides) => {
    expect(leaseResponseSchema.safeParse({ ...lease, ...overrides }).success).toBe(false);
  });
});
