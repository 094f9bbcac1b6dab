import { describe, expect, it } from 'vitest';
import { systemClock } from './clock';

describe('system clock', () => {
  it('reads the wall clock and runs scheduled callbacks on real timers', async () => {
    const clock = systemClock();
    expect(Math.abs(clock.now() - Date.now())).toBeLessThan(50);
    await new Promise<void>((resolve) => clock.schedule(resolve, 1));
  });

  it('cancels a scheduled callback', async () => {
    const clock = systemClock();
    let fired = false;
    const cancel = clock.schedule(() => {
      fired = true;
    }, 1);
    cancel();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fired).toBe(false);
  });
});
