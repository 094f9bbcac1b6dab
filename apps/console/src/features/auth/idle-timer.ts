/**
 * When an idle super admin is warned and then signed out. Pure (the clock is passed in), so the
 * rule is tested without a browser; `use-idle-timeout.ts` wires it to the page's input events.
 */
export const IDLE_TIMEOUT_MS = 15 * 60_000;
export const IDLE_WARNING_MS = 60_000;

export type IdlePhase = { kind: 'active' } | { kind: 'warning'; secondsLeft: number } | { kind: 'expired' };

export class IdleTimer {
  private lastActivity: number;

  constructor(
    private readonly now: () => number,
    private readonly timeoutMs = IDLE_TIMEOUT_MS,
    private readonly warningMs = IDLE_WARNING_MS,
  ) {
    this.lastActivity = now();
  }

  /** The user did something. */
  touch(): void {
    this.lastActivity = this.now();
  }

  phase(): IdlePhase {
    const idle = this.now() - this.lastActivity;
    if (idle >= this.timeoutMs) return { kind: 'expired' };
    if (idle >= this.timeoutMs - this.warningMs) {
      return { kind: 'warning', secondsLeft: Math.ceil((this.timeoutMs - idle) / 1000) };
    }
    return { kind: 'active' };
  }
}
