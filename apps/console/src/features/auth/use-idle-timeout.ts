import { useEffect, useRef, useState } from 'react';
import { type IdlePhase, IdleTimer } from './idle-timer';

const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll'] as const;

/**
 * Watches the page for activity while someone is signed in and calls `onExpire` after 15 idle
 * minutes; the returned phase drives the one-minute warning. Background tabs count as idle.
 */
export function useIdleTimeout(
  enabled: boolean,
  onExpire: () => void,
): { phase: IdlePhase; stayActive(): void } {
  const [phase, setPhase] = useState<IdlePhase>({ kind: 'active' });
  const timerRef = useRef<IdleTimer | null>(null);
  const expireRef = useRef(onExpire);
  expireRef.current = onExpire;

  useEffect(() => {
    if (!enabled) return;
    const timer = new IdleTimer(() => Date.now());
    timerRef.current = timer;
    let lastTouch = 0;
    const onActivity = () => {
      // Pointer moves fire constantly; a touch a second is plenty.
      const now = Date.now();
      if (now - lastTouch < 1000) return;
      lastTouch = now;
      if (timer.phase().kind === 'active') timer.touch();
    };
    for (const name of ACTIVITY_EVENTS)
      window.addEventListener(name, onActivity, { passive: true, capture: true });
    const tick = window.setInterval(() => {
      const next = timer.phase();
      if (next.kind === 'expired') {
        window.clearInterval(tick);
        expireRef.current();
      }
      setPhase((prev) =>
        prev.kind === next.kind &&
        (prev.kind !== 'warning' || next.kind !== 'warning' || prev.secondsLeft === next.secondsLeft)
          ? prev
          : next,
      );
    }, 1000);
    return () => {
      window.clearInterval(tick);
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, onActivity, { capture: true });
      timerRef.current = null;
      setPhase({ kind: 'active' });
    };
  }, [enabled]);

  return {
    phase,
    stayActive() {
      timerRef.current?.touch();
      setPhase({ kind: 'active' });
    },
  };
}
