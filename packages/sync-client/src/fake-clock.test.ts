import { describe, expect, it } from 'vitest';
import { createFakeClock } from './fake-clock';

describe('fake clock', () => {
  it('fires due callbacks in time order, each at its own time', async () => {
    const clock = createFakeClock(1000);
    const fired: string[] = [];
    clock.schedule(() => fired.push(`b@${clock.now()}`), 20);
    clock.schedule(() => fired.push(`a@${clock.now()}`), 10);
    clock.schedule(() => fired.push(`late@${clock.now()}`), 500);

    await clock.advance(100);
    expect(fired).toEqual(['a@1010', 'b@1020']);
    expect(clock.now()).toBe(1100);
    expect(clock.nextAt()).toBe(1500);
  });

  it('does not fire a cancelled callback', async () => {
    const clock = createFakeClock();
    let fired = false;
    const cancel = clock.schedule(() => {
      fired = true;
    }, 5);
    cancel();
    await clock.advance(10);
    expect(fired).toBe(false);
    expect(clock.pendingCount()).toBe(0);
  });

  it('fires callbacks scheduled by promises that settle during the advance', async () => {
    const clock = createFakeClock();
    const fired: number[] = [];
    clock.schedule(() => {
      void Promise.resolve().then(() => clock.schedule(() => fired.push(clock.now()), 5));
    }, 5);
    await clock.advance(20);
    expect(fired).toEqual([10]);
  });
});
