import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, gzipBody } from './gzip-body';

describe('acceptsGzip', () => {
  it.each([
    ['gzip, deflate', true],
    ['br, gzip, deflate', true],
    ['GZIP', true],
    ['x-gzip', true],
    ['deflate, gzip;q=0.5', true],
    ['*', true],
    ['br;q=1, *;q=0.1', true],
    ['gzip;q=0', false],
    ['*, gzip;q=0', false],
    ['identity', false],
    ['br, deflate', false],
    ['', false],
    [undefined, false],
    [['br', 'gzip'], true],
  ] as const)('%j → %s', (header, accepted) => {
    expect(acceptsGzip(header)).toBe(accepted);
  });
});

describe('gzipBody', () => {
  it('compresses a large body into gzip that decompresses to the same text', async () => {
    const text = JSON.stringify(
      Array.from({ length: 20_000 }, (_, i) => [i, 'Asha Pawar', '+919822012345', 'Zürich 東京']),
    );
    const gzipped = await gzipBody(text);
    expect(gzipped.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(gzipped.length).toBeLessThan(Buffer.byteLength(text) / 4);
    expect(gunzipSync(gzipped).toString('utf8')).toBe(text);
  });
});
