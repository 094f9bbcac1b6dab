/** A clock for tests that only moves when told to, firing due callbacks in time order. */
import type { Cancel, Clock } from '@clinicdesk/sync-client';

export interface ManualClock extends Clock {
  /** Moves time forward by `ms`, running every callback that falls due, and lets promises settle. */
  advance(ms: number): Promise<void>;
}

/** Creates a manual clock starting at `start` (epoch ms). */
export function manualClock(start = Date.parse('2026-11-28T04:30:00.000Z')): ManualClock {
  let now = start;
  let timers: { at: number; id: number; run: () => void }[] = [];
  let nextId = 0;
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    now: () => now,
    schedule(run, delayMs): Cancel {
      const timer = { at: now + Math.max(0, delayMs), id: nextId++, run };
      timers.push(timer);
      return () => {
        timers = timers.filter((other) => other !== timer);
      };
    },
    async advance(ms) {
      const target = now + ms;
      await settle();
      for (;;) {
        const due = timers
          .filter((timer) => timer.at <= target)
          .sort((a, b) => a.at - b.at || a.id - b.id)[0];
        if (due === undefined) break;
        timers = timers.filter((timer) => timer !== due);
        now = due.at;
        due.run();
        await settle();
      }
      now = target;
    },
  };
}
