/**
 * Tells the main process the user is active (keys, pointer, wheel), at most a few times per idle
 * period, so the idle lock only fires when nobody has touched the desk. Background refreshes
 * (a queue updating itself) are not activity.
 */
import { useEffect } from 'react';
import { useApi } from '../../api/api-context';

/** Reports activity while mounted. */
export function useActivityReporter(idleLockSeconds: number): void {
  const api = useApi();
  useEffect(() => {
    const every = Math.min(10_000, (idleLockSeconds * 1000) / 4);
    let last = 0;
    const report = () => {
      const now = Date.now();
      if (now - last < every) return;
      last = now;
      void api.call('session.activity', {}).catch(() => undefined);
    };
    const events = ['keydown', 'pointerdown', 'wheel'] as const;
    for (const name of events) window.addEventListener(name, report, { passive: true, capture: true });
    return () => {
      for (const name of events) window.removeEventListener(name, report, { capture: true });
    };
  }, [api, idleLockSeconds]);
}
