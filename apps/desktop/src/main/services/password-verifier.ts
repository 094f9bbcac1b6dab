/**
 * argon2id password verifiers for offline sign-in and unlocking, with the OWASP minimum the server
 * also uses (19 MiB, 2 iterations, 1 lane). Kept behind a small interface so the session service
 * does not care which library computes them.
 */
import { hash, verify } from '@node-rs/argon2';

export interface PasswordVerifier {
  /** A PHC-format argon2id verifier of `password`. */
  create(password: string): Promise<string>;
  /** True when `password` matches `verifier`; false for a malformed verifier. */
  check(verifier: string, password: string): Promise<boolean>;
}

/** The argon2id verifier. */
export function argon2Verifier(): PasswordVerifier {
  return {
    // The library's default algorithm is argon2id (its enum is a const enum this build cannot name).
    create: (password) => hash(password, { memoryCost: 19_456, timeCost: 2, parallelism: 1 }),
    async check(verifier, password) {
      try {
        return await verify(verifier, password);
      } catch {
        return false;
      }
    },
  };
}
