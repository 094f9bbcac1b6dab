import { describe, expect, it } from 'vitest';
import { createFakeClock } from './fake-clock';
import { createRetryScheduler, type RetrySchedulerOptions } from './retry.scheduler';

/**
 * A scheduler on a fake clock whose attempts follow `outcomes` ('fail' rejects, 'ok' resolves,
 * 'hold' waits for `release`), recording the time of every attempt.
 */
function setup(outcomes: Array<'ok' | 'fail' | 'hold'>, overrides: Partial<RetrySchedulerOptions> = {}) {
  const clock = createFakeClock();
  const attemptsAt: number[] = [];
  const failures: Array<{ failures: number; delayMs: number; at: number }> = [];
  let release: (() => void) | undefined;
  const scheduler = createRetryScheduler({
    clock,
    random: () => 0.5,
    baseMs: 1000,
    maxMs: 8000,
    onFailure: (_error, retry) => failures.push(retry),
    run: () => {
      attemptsAt.push(clock.now());
      const outcome = outcomes.shift() ?? 'ok';
      if (outcome === 'fail') return Promise.reject(new Error('network down'));
      if (outcome === 'hold') return new Promise<void>((resolve) => (release = resolve));
      return Promise.resolve();
    },
    ...overrides,
  });
  return { clock, scheduler, attemptsAt, failures, release: () => release?.() };
}

describe('retry scheduler', () => {
  it('retries a failed attempt on its own, backing off, until it succeeds', async () => {
    const { clock, scheduler, attemptsAt, failures } = setup(['fail', 'fail', 'fail', 'ok']);
    scheduler.trigger();
    await clock.advance(60_000);

    // random 0.5 → half of each window: 500, 1000, 2000 ms.
    expect(attemptsAt).toEqual([0, 500, 1500, 3500]);
    expect(failures).toEqual([
      { failures: 1, delayMs: 500, at: 500 },
      { failures: 2, delayMs: 1000, at: 1500 },
      { failures: 3, delayMs: 2000, at: 3500 },
    ]);
    expect(scheduler.state()).toEqual({ running: false, failures: 0, nextRunAt: null, stopped: false });
  });

  it('caps the wait between retries at maxMs', async () => {
    const { clock, scheduler, attemptsAt } = setup(Array(8).fill('fail'));
    scheduler.trigger();
    await clock.advance(30_000);
    const gaps = attemptsAt.slice(1).map((at, index) => at - (attemptsAt[index] ?? 0));
    expect(gaps).toEqual([500, 1000, 2000, 4000, 4000, 4000, 4000, 4000]);
  });

  it('lets a local write wait for the pending retry, but cuts the backoff short for retryNow', async () => {
    const { clock, scheduler, attemptsAt } = setup(['fail', 'fail', 'ok']);
    scheduler.trigger();
    await clock.advance(100);
    scheduler.trigger();
    await clock.advance(0);
    expect(attemptsAt).toEqual([0]);
    expect(scheduler.state().nextRunAt).toBe(500);

    await clock.advance(500); // the retry at 500 fails too; the next one is due 1000 ms later
    expect(scheduler.state().nextRunAt).toBe(1500);
    await clock.advance(200);
    scheduler.retryNow();
    await clock.advance(0);
    expect(attemptsAt).toEqual([0, 500, 800]);
    expect(scheduler.state()).toMatchObject({ failures: 0, nextRunAt: null });
  });

  it('serves requests made during an attempt with exactly one more attempt', async () => {
    const { clock, scheduler, attemptsAt, release } = setup(['hold', 'ok']);
    scheduler.trigger();
    await clock.advance(10);
    scheduler.trigger();
    scheduler.trigger();
    scheduler.retryNow();
    expect(scheduler.state().running).toBe(true);
    release();
    await clock.advance(10);
    expect(attemptsAt).toEqual([0, 10]);
  });

  it('polls again after intervalMs when nothing else asks', async () => {
    const { clock, scheduler, attemptsAt } = setup([], { intervalMs: 30_000 });
    scheduler.trigger();
    await clock.advance(65_000);
    expect(attemptsAt).toEqual([0, 30_000, 60_000]);
    scheduler.trigger(); // a write does not wait for the next poll
    await clock.advance(0);
    expect(attemptsAt).toEqual([0, 30_000, 60_000, 65_000]);
  });

  it('after stop, cancels the pending retry, waits for the attempt in flight and never runs again', async () => {
    const { clock, scheduler, attemptsAt, release } = setup(['fail', 'hold']);
    scheduler.trigger();
    await clock.advance(500); // the retry at 500 is in flight
    let stopped = false;
    const stopping = scheduler.stop().then(() => {
      stopped = true;
    });
    await clock.advance(0);
    expect(stopped).toBe(false);
    release();
    await stopping;
    scheduler.trigger();
    scheduler.retryNow();
    await clock.advance(60_000);
    expect(attemptsAt).toEqual([0, 500]);
    expect(clock.pendingCount()).toBe(0);
    expect(scheduler.state()).toMatchObject({ stopped: true, running: false, nextRunAt: null });
  });

  it.each([
    ['a zero base', { baseMs: 0 }],
    ['a cap below the base', { baseMs: 1000, maxMs: 10 }],
    ['a zero poll interval', { intervalMs: 0 }],
  ])('refuses %s up front', (_label, overrides) => {
    expect(() => setup([], overrides)).toThrow(RangeError);
  });
});
