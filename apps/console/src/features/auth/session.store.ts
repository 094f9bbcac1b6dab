import type { SessionUser, TokenPair } from '../../api/api.types';

/**
 * The signed-in super admin, held in memory. The refresh token (and who it belongs to) is also
 * kept in sessionStorage so a reload in the same tab stays signed in; it never goes to
 * localStorage, so closing the tab ends it and other tabs never see it. The access token lives in
 * memory only. `totpEnabled` is null until the server has said; while it is false the console
 * shows nothing but the enrolment screen.
 */
export type Session = {
  user: SessionUser;
  accessToken: string;
  /** Epoch milliseconds. */
  accessTokenExpiresAt: number;
  refreshToken: string;
  totpEnabled: boolean | null;
};

export type SessionState =
  | { kind: 'restoring' }
  | { kind: 'signed-out'; notice: string | null }
  | { kind: 'signed-in'; session: Session };

type Stored = { refreshToken: string; user: SessionUser };

export const SESSION_STORAGE_KEY = 'clinicdesk.console.session';

export class SessionStore {
  private state: SessionState;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>) {
    this.state = this.stored() ? { kind: 'restoring' } : { kind: 'signed-out', notice: null };
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getState = (): SessionState => this.state;

  /** The session, or null when nobody is signed in. */
  current(): Session | null {
    return this.state.kind === 'signed-in' ? this.state.session : null;
  }

  /** The refresh token and user saved for this tab, if any (used to restore after a reload). */
  stored(): Stored | null {
    const raw = this.storage.getItem(SESSION_STORAGE_KEY);
    if (!raw) return null;
    try {
      const value = JSON.parse(raw) as Partial<Stored>;
      if (typeof value.refreshToken === 'string' && value.user) return value as Stored;
    } catch {
      // A damaged entry is treated as no session.
    }
    return null;
  }

  signIn(user: SessionUser, tokens: TokenPair, totpEnabled: boolean | null): void {
    this.set({
      kind: 'signed-in',
      session: {
        user,
        accessToken: tokens.accessToken,
        accessTokenExpiresAt: Date.parse(tokens.accessTokenExpiresAt),
        refreshToken: tokens.refreshToken,
        totpEnabled,
      },
    });
  }

  /** Keeps the rotated refresh token and the new access token. */
  updateTokens(tokens: TokenPair): void {
    const session = this.current();
    if (!session) return;
    this.set({
      kind: 'signed-in',
      session: {
        ...session,
        accessToken: tokens.accessToken,
        accessTokenExpiresAt: Date.parse(tokens.accessTokenExpiresAt),
        refreshToken: tokens.refreshToken,
      },
    });
  }

  setTotpEnabled(enabled: boolean): void {
    const session = this.current();
    if (session) this.set({ kind: 'signed-in', session: { ...session, totpEnabled: enabled } });
  }

  signOut(notice: string | null = null): void {
    this.set({ kind: 'signed-out', notice });
  }

  private set(next: SessionState): void {
    this.state = next;
    if (next.kind === 'signed-in') {
      const stored: Stored = { refreshToken: next.session.refreshToken, user: next.session.user };
      this.storage.setItem(SESSION_STORAGE_KEY, JSON.stringify(stored));
    } else if (next.kind === 'signed-out') {
      this.storage.removeItem(SESSION_STORAGE_KEY);
    }
    for (const listener of this.listeners) listener();
  }
}
