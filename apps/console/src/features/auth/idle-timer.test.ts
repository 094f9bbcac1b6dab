import { describe, expect, it } from 'vitest';
import { IdleTimer } from './idle-timer';

describe('IdleTimer', () => {
  it('warns in the last minute of 15 idle minutes, signs out at 15, and any activity starts over', () => {
    let now = 1_000_000;
    const timer = new IdleTimer(() => now);
    now += 13 * 60_000;
    expect(timer.phase()).toEqual({ kind: 'active' });
    now += 60_000;
    expect(timer.phase()).toEqual({ kind: 'warning', secondsLeft: 60 });
    now += 45_500;
    expect(timer.phase()).toEqual({ kind: 'warning', secondsLeft: 15 });
    timer.touch();
    now += 14 * 60_000 - 1;
    expect(timer.phase()).toEqual({ kind: 'active' });
    now += 60_001;
    expect(timer.phase()).toEqual({ kind: 'expired' });
  });
});
