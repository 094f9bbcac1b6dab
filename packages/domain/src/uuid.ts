/**
 * UUIDv7 (RFC 9562 §5.7): 48-bit Unix milliseconds, version 7, 12 bits `rand_a`, variant `10`,
 * 62 bits `rand_b`. Ids sort by creation time, which keeps B-tree inserts local on the server and
 * in SQLite. The time comes from the device clock and is information only: it never decides order.
 *
 * `uuidv7` is stateless (random `rand_a`); `createUuidv7Generator` keeps a counter in a closure
 * (RFC 9562 method 1) so ids from one generator are strictly increasing even within a millisecond
 * or when the clock steps back.
 */

const MAX_UNIX_MS = 2 ** 48 - 1;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const UUID_V7_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

function randomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

function checkUnixMs(unixMs: number): void {
  if (!Number.isInteger(unixMs) || unixMs < 0 || unixMs > MAX_UNIX_MS) {
    throw new RangeError(`UUIDv7 timestamp must be an integer between 0 and 2^48-1, got ${unixMs}`);
  }
}

function byteAt(bytes: Uint8Array, index: number): number {
  return bytes[index] ?? 0;
}

/** Lays out the 16 bytes of a UUIDv7 and formats them as the canonical lowercase string. */
function formatUuidv7(unixMs: number, randA: number, randB: Uint8Array): string {
  const bytes = new Uint8Array(16);
  let ms = unixMs;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = 0x70 | ((randA >> 8) & 0x0f);
  bytes[7] = randA & 0xff;
  bytes[8] = 0x80 | (byteAt(randB, 0) & 0x3f);
  for (let i = 1; i < 8; i++) bytes[8 + i] = byteAt(randB, i);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Generates a UUIDv7 for `now` (Unix ms) from 10 random bytes (defaults: the current time, crypto randomness). */
export function uuidv7(now: number = Date.now(), random: Uint8Array = randomBytes(10)): string {
  checkUnixMs(now);
  if (random.length < 10) throw new RangeError('uuidv7 needs at least 10 random bytes');
  const randA = ((byteAt(random, 0) << 8) | byteAt(random, 1)) & 0x0fff;
  return formatUuidv7(now, randA, random.subarray(2, 10));
}

/** Dependencies of a UUIDv7 generator; both default to the real clock and crypto randomness. */
export interface Uuidv7GeneratorOptions {
  now?: () => number;
  random?: (length: number) => Uint8Array;
}

/** Returns a UUIDv7 generator whose ids are strictly increasing (12-bit counter in `rand_a`, RFC 9562 method 1). */
export function createUuidv7Generator(options: Uuidv7GeneratorOptions = {}): () => string {
  const now = options.now ?? Date.now;
  const random = options.random ?? randomBytes;
  let lastMs = -1;
  let counter = 0;
  return () => {
    const ms = now();
    checkUnixMs(ms);
    if (ms > lastMs) {
      lastMs = ms;
      // Start low in the 12-bit space so thousands of ids fit in one millisecond.
      const seed = random(2);
      counter = ((byteAt(seed, 0) << 8) | byteAt(seed, 1)) & 0x07ff;
    } else {
      counter += 1;
      if (counter > 0x0fff) {
        lastMs += 1;
        counter = 0;
      }
    }
    return formatUuidv7(lastMs, counter, random(8));
  };
}

/** True for a canonical RFC 9562 UUID string (versions 1–8, variant 10), in either letter case. */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** True for a UUID string of version 7. */
export function isUuidV7(value: string): boolean {
  return UUID_V7_PATTERN.test(value);
}

/** The Unix millisecond timestamp embedded in a UUIDv7, or null if the string is not one. */
export function uuidv7Time(value: string): number | null {
  if (!isUuidV7(value)) return null;
  return Number.parseInt(value.slice(0, 8) + value.slice(9, 13), 16);
}
