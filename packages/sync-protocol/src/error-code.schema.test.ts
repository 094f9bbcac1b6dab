import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ErrorCode, errorBody, errorBodySchema, httpStatusFor } from './error-code.schema';

describe('error codes', () => {
  it('gives every code an HTTP error status', () => {
    for (const code of ERROR_CODES) {
      const status = httpStatusFor(code);
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
    }
  });

  it('keeps INTERNAL the only server-side status', () => {
    const serverSide = ERROR_CODES.filter((code) => httpStatusFor(code) >= 500);
    expect(serverSide).toEqual(['INTERNAL']);
  });

  it.each([
    ['UPGRADE_REQUIRED', 426],
    ['UNAUTHORIZED', 401],
    ['RATE_LIMITED', 429],
    ['PAYLOAD_TOO_LARGE', 413],
    ['RESET_REQUIRED', 410],
  ] as const)('maps %s to %i', (code, status) => {
    expect(httpStatusFor(code)).toBe(status);
  });

  it('exposes the codes as a qualified enum object', () => {
    expect(ErrorCode.SEQUENCE_GAP).toBe('SEQUENCE_GAP');
    expect(Object.keys(ErrorCode)).toEqual([...ERROR_CODES]);
  });
});

describe('error body', () => {
  it('accepts a body with and without details', () => {
    expect(errorBodySchema.parse(errorBody('NOT_FOUND', 'No such patient'))).toEqual({
      error: { code: 'NOT_FOUND', message: 'No such patient' },
    });
    const withDetails = errorBody('CAPACITY_EXCEEDED', 'Patient limit reached', { limit: 500, usage: 500 });
    expect(errorBodySchema.safeParse(withDetails).success).toBe(true);
  });

  it.each([
    ['an unknown code', { error: { code: 'TEAPOT', message: 'x' } }],
    ['an empty message', { error: { code: 'INTERNAL', message: '' } }],
    ['an unknown field in error', { error: { code: 'INTERNAL', message: 'x', stack: 'at …' } }],
    ['an unknown top-level field', { error: { code: 'INTERNAL', message: 'x' }, requestId: 'r1' }],
    ['details that are not an object', { error: { code: 'INTERNAL', message: 'x', details: 'oops' } }],
  ])('refuses %s', (_label, body) => {
    expect(errorBodySchema.safeParse(body).success).toBe(false);
  });
});
