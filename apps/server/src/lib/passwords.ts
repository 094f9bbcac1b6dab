import { hash, verify } from '@node-rs/argon2';

/**
 * Password hashing with argon2id at OWASP's minimum cost (19 MiB, 2 iterations, 1 lane).
 * `verifyPassword` on an unknown user still spends the same work on a dummy hash, so response time
 * does not reveal which usernames exist.
 */
// `Algorithm` is an ambient const enum (not importable under verbatimModuleSyntax); 2 is Argon2id.
const ARGON2ID = 2;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

let dummy: Promise<string> | null = null;

/** Checks a password against a stored hash; with no hash, burns equal time and returns false. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    dummy ??= hashPassword('clinicdesk-dummy-password');
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}

const COMMON = new Set([
  'password',
  'password1',
  'password123',
  '12345678',
  '123456789',
  '1234567890',
  'qwertyuiop',
  'iloveyou',
  'admin123',
  'welcome123',
  'clinicdesk',
  'letmein123',
]);

/** Why a new password is refused, or null when it is acceptable (length ≥ 10, not trivial). */
export function passwordProblem(password: string, context: readonly string[] = []): string | null {
  if (password.length < 10) return 'Password must be at least 10 characters long';
  if (password.length > 256) return 'Password must be at most 256 characters long';
  if (/^(.)\1+$/.test(password)) return 'Password must not repeat one character';
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'Password is too common';
  for (const word of context) {
    if (word.length >= 3 && lower.includes(word.toLowerCase()))
      return 'Password must not contain your username or clinic';
  }
  if (new Set(password).size < 4) return 'Password must use at least 4 different characters';
  return null;
}
