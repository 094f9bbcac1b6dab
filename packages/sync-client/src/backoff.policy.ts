export interface BackoffOptions {
  /** Ceiling of the first retry's delay. */
  baseMs: number;
  /** No delay ever exceeds this. */
  maxMs: number;
  /** Uniform in [0, 1); injected so delays are reproducible in tests. */
  random: () => number;
}

/**
 * Delay before retry number `attempt` (0 for the first retry): exponential backoff with full jitter,
 * uniform in [0, min(maxMs, baseMs·2^attempt)), so devices that failed together do not retry together.
 */
export function backoffDelay(attempt: number, { baseMs, maxMs, random }: BackoffOptions): number {
  if (!Number.isInteger(attempt) || attempt < 0)
    throw new RangeError(`attempt must be a whole number ≥ 0, got ${attempt}`);
  if (!(baseMs > 0) || !(maxMs >= baseMs))
    throw new RangeError(`need 0 < baseMs ≤ maxMs, got ${baseMs} and ${maxMs}`);
  const draw = random();
  if (!(draw >= 0 && draw < 1)) throw new RangeError(`random() must return a number in [0, 1), got ${draw}`);
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.floor(draw * ceiling);
}
