/*
 * Decides when the next sync attempt runs.
 *
 * Invariants:
 * - At most one attempt runs at a time; a request that arrives during a run is remembered and
 *   served by one more run right after it succeeds.
 * - A failed attempt (the run's promise rejects) schedules its own retry with exponential backoff
 *   and full jitter, so pending changes go out without waiting for the next local write.
 * - A local write (`trigger`) never cuts a backoff short, so a busy reception desk cannot hammer a
 *   struggling server; coming back online or "Sync now" (`retryNow`) does.
 * - After `stop` nothing runs again.
 */
import { backoffDelay } from './backoff.policy';
import type { Cancel, Clock } from './clock';

export interface RetrySchedulerOptions {
  clock: Clock;
  /** Uniform in [0, 1), for backoff jitter. */
  random: () => number;
  /** One sync attempt. Rejecting means "retry later"; resolve for outcomes a retry cannot fix. */
  run: () => Promise<void>;
  /** Ceiling of the first retry delay. Default 1 s. */
  baseMs?: number;
  /** Longest wait between retries. Default 5 min. */
  maxMs?: number;
  /** After a success, run again this long later even if nothing asks (a fallback poll). */
  intervalMs?: number;
  /** Told about every failed attempt and when the retry is due; must not throw. */
  onFailure?: (error: unknown, retry: { failures: number; delayMs: number; at: number }) => void;
}

export interface RetrySchedulerState {
  running: boolean;
  /** Consecutive failed attempts; 0 after a success. */
  failures: number;
  /** When the next attempt is scheduled, if one is. */
  nextRunAt: number | null;
  stopped: boolean;
}

export interface RetryScheduler {
  /** Asks for an attempt soon (after a local write): now if idle, after the current run, or with the pending retry. */
  trigger(): void;
  /** Asks for an attempt now, cutting any backoff short (back online, "Sync now"). */
  retryNow(): void;
  /** Cancels what is scheduled and resolves once an attempt in flight has finished. */
  stop(): Promise<void>;
  state(): RetrySchedulerState;
}

/** Creates a scheduler that runs `run` on request and retries it on its own after failures. */
export function createRetryScheduler({
  clock,
  random,
  run,
  baseMs = 1000,
  maxMs = 5 * 60 * 1000,
  intervalMs,
  onFailure,
}: RetrySchedulerOptions): RetryScheduler {
  if (!(baseMs > 0) || !(maxMs >= baseMs))
    throw new RangeError(`need 0 < baseMs ≤ maxMs, got ${baseMs} and ${maxMs}`);
  if (intervalMs !== undefined && !(intervalMs > 0))
    throw new RangeError(`intervalMs must be > 0, got ${intervalMs}`);
  let running = false;
  let rerunRequested = false;
  let failures = 0;
  let stopped = false;
  let scheduled: { cancel: Cancel; at: number } | null = null;
  let inFlight: Promise<void> = Promise.resolve();

  function cancelScheduled(): void {
    scheduled?.cancel();
    scheduled = null;
  }

  function scheduleIn(delayMs: number): void {
    cancelScheduled();
    const at = clock.now() + delayMs;
    scheduled = { at, cancel: clock.schedule(startNow, delayMs) };
  }

  function startNow(): void {
    cancelScheduled();
    inFlight = attempt();
  }

  async function attempt(): Promise<void> {
    running = true;
    rerunRequested = false;
    let error: { cause: unknown } | null = null;
    try {
      await run();
    } catch (cause) {
      error = { cause };
    } finally {
      running = false;
    }
    if (stopped) return;

    if (error !== null) {
      const delayMs = backoffDelay(failures, { baseMs, maxMs, random });
      failures += 1;
      scheduleIn(delayMs);
      onFailure?.(error.cause, { failures, delayMs, at: clock.now() + delayMs });
      return;
    }
    failures = 0;
    if (rerunRequested) startNow();
    else if (intervalMs !== undefined) scheduleIn(intervalMs);
  }

  return {
    trigger() {
      if (stopped) return;
      if (running) rerunRequested = true;
      else if (scheduled === null || failures === 0) startNow();
    },
    retryNow() {
      if (stopped) return;
      if (running) rerunRequested = true;
      else startNow();
    },
    async stop() {
      stopped = true;
      cancelScheduled();
      await inFlight;
    },
    state: () => ({ running, failures, nextRunAt: scheduled?.at ?? null, stopped }),
  };
}
