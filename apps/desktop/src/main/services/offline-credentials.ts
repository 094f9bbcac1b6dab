/**
 * What lets a user sign in on this computer while the server is out of reach: per user, an argon2id
 * verifier of their password and the last offline grant the server signed, plus the count of
 * failed offline attempts. Saved after every successful online sign-in (and refreshed with each new
 * grant), in `offline-credentials.json` readable by the OS user only. No password is ever stored.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Role } from '@clinicdesk/domain';
import { z } from 'zod';

const CachedUser = z.object({
  userId: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  clinicId: z.uuid(),
  /** argon2id PHC string of the password. */
  verifier: z.string(),
  grant: z.object({ token: z.string(), expiresAt: z.string() }).nullable(),
  failures: z.int().min(0).default(0),
  lastFailureAt: z.number().nullable().default(null),
});
export type CachedUser = z.infer<typeof CachedUser>;

const CacheFile = z.object({ users: z.record(z.string(), CachedUser) });

/** Failed offline attempts allowed before waiting starts. */
export const FREE_OFFLINE_ATTEMPTS = 3;

/** How long to wait after `failures` failed attempts: none for the first three, then 15 s doubling, at most 15 min. */
export function offlineBackoffMs(failures: number): number {
  if (failures < FREE_OFFLINE_ATTEMPTS) return 0;
  return Math.min(15 * 60_000, 15_000 * 2 ** (failures - FREE_OFFLINE_ATTEMPTS));
}

/** Milliseconds left before another offline attempt is allowed (0 = now). */
export function offlineWaitMs(user: Pick<CachedUser, 'failures' | 'lastFailureAt'>, now: number): number {
  if (user.lastFailureAt === null) return 0;
  return Math.max(0, user.lastFailureAt + offlineBackoffMs(user.failures) - now);
}

export interface OfflineCredentials {
  find(username: string): CachedUser | null;
  save(user: CachedUser): void;
  /** Records a failed attempt at `now`; returns the updated entry. */
  recordFailure(username: string, now: number): CachedUser | null;
  /** Clears the failure count after a successful sign-in or unlock. */
  recordSuccess(username: string): void;
  /** Replaces a user's grant (a refreshed session brings a new one). */
  updateGrant(username: string, grant: CachedUser['grant']): void;
  /** Forgets everyone (the computer leaves the clinic). */
  clear(): void;
}

/** Opens the credential cache in `dataDir`. */
export function openOfflineCredentials(dataDir: string): OfflineCredentials {
  const file = join(dataDir, 'offline-credentials.json');
  mkdirSync(dirname(file), { recursive: true });
  let users: Record<string, CachedUser> = {};
  try {
    const parsed = CacheFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) users = parsed.data.users;
  } catch {
    // No cache yet: nobody can sign in offline until they have signed in online once.
  }
  const persist = () => {
    const temporary = `${file}.tmp`;
    writeFileSync(temporary, JSON.stringify({ users }, null, 2), { mode: 0o600 });
    renameSync(temporary, file);
  };
  const key = (username: string) => username.trim().toLowerCase();
  const change = (username: string, patch: Partial<CachedUser>) => {
    const current = users[key(username)];
    if (current === undefined) return null;
    const next = { ...current, ...patch };
    users[key(username)] = next;
    persist();
    return next;
  };
  return {
    find: (username) => users[key(username)] ?? null,
    save(user) {
      users[key(user.username)] = user;
      persist();
    },
    recordFailure(username, now) {
      const current = users[key(username)];
      if (current === undefined) return null;
      return change(username, { failures: current.failures + 1, lastFailureAt: now });
    },
    recordSuccess(username) {
      change(username, { failures: 0, lastFailureAt: null });
    },
    updateGrant(username, grant) {
      change(username, { grant });
    },
    clear() {
      users = {};
      persist();
    },
  };
}
