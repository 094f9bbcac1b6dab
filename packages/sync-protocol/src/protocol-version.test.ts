import { describe, expect, it } from 'vitest';
import {
  clientVersionVerdict,
  isSupportedClientVersion,
  PROTOCOL_VERSION,
  SCHEMA_VERSION,
} from './protocol-version';

describe('client version support', () => {
  it('is at protocol 2 (pull pages as change runs) and a positive schema version', () => {
    expect(PROTOCOL_VERSION).toBe(2);
    expect(Number.isInteger(SCHEMA_VERSION) && SCHEMA_VERSION >= 1).toBe(true);
  });

  it.each([
    [5, 5, 'current', true],
    [5, 4, 'previous', true],
    [5, 3, 'too_old', false],
    [5, 1, 'too_old', false],
    [5, 6, 'too_new', false],
    [1, 1, 'current', true],
    [1, 0, 'previous', true],
  ] as const)('server %i, client %i → %s', (server, client, verdict, supported) => {
    expect(clientVersionVerdict(server, client)).toBe(verdict);
    expect(isSupportedClientVersion(server, client)).toBe(supported);
  });
});
