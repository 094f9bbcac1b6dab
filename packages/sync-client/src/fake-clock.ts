import type { Clock } from './clock';

// A hand-driven clock for tests of this package. Not exported from the package entry.

interface PendingTimer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

export interface FakeClock extends Clock {
  /** Moves time forward, firing due callbacks in time order and letting their promises settle. */
  advance(ms: number): Promise<void>;
  /** When the earliest pending callback is due, or null if none is. */
  nextAt(): number | null;
  /** How many callbacks are waiting. */
  pendingCount(): number;
}

/** Drains promise jobs queued by fired callbacks (and the jobs those queue) before time moves on. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Creates a clock that only moves when `advance` is called. */
export function createFakeClock(start = 0): FakeClock {
  let now = start;
  let nextId = 0;
  let timers: PendingTimer[] = [];

  const earliest = () =>
    timers.reduce<PendingTimer | undefined>(
      (first, timer) =>
        first === undefined || timer.at < first.at || (timer.at === first.at && timer.id < first.id)
          ? timer
          : first,
      undefined,
    );

  return {
    now: () => now,
    schedule(callback, delayMs) {
      const timer = { id: nextId++, at: now + Math.max(0, delayMs), callback };
      timers.push(timer);
      return () => {
        timers = timers.filter((other) => other !== timer);
      };
    },
    async advance(ms) {
      const target = now + ms;
      await settle();
      for (let due = earliest(); due !== undefined && due.at <= target; due = earliest()) {
        const timer = due;
        timers = timers.filter((other) => other !== timer);
        now = timer.at;
        timer.callback();
        await settle();
      }
      now = target;
    },
    nextAt: () => earliest()?.at ?? null,
    pendingCount: () => timers.length,
  };
}
