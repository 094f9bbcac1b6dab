/** Cancels a scheduled callback; calling it after the callback ran, or twice, does nothing. */
export type Cancel = () => void;

/**
 * Time as the sync engine sees it. Injected everywhere so tests drive time by hand and nothing in
 * the engine reads the wall clock or the global timers directly.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `callback` once, `delayMs` from now. */
  schedule(callback: () => void, delayMs: number): Cancel;
}

/** The real clock: Date.now and the host's timers. */
export function systemClock(): Clock {
  return {
    now: () => Date.now(),
    schedule(callback, delayMs) {
      const timer = setTimeout(callback, delayMs);
      return () => clearTimeout(timer);
    },
  };
}
