import type Database from 'better-sqlite3';
import { LocalStoreCorruptError } from './local-store.errors';

// SQLite reports damage either as quick_check findings or, when it cannot even read the pages it
// needs, as one of these error codes. Anything else (busy, permissions) is not corruption.
const CORRUPTION_CODES = ['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_IOERR_SHORT_READ'];

function isCorruption(error: unknown): error is Error & { code: string } {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  return typeof code === 'string' && CORRUPTION_CODES.some((prefix) => code.startsWith(prefix));
}

/** Runs `PRAGMA quick_check` and throws LocalStoreCorruptError unless SQLite answers `ok`. */
export function assertIntact(sqlite: Database.Database, file: string): void {
  let findings: string[];
  try {
    findings = pragmaValues(sqlite.pragma('quick_check', { simple: false }));
  } catch (error) {
    if (isCorruption(error))
      throw new LocalStoreCorruptError(file, [`${error.code}: ${error.message}`], { cause: error });
    throw error;
  }
  if (findings.length !== 1 || findings[0] !== 'ok') throw new LocalStoreCorruptError(file, findings);
}

function pragmaValues(rows: unknown): string[] {
  if (!Array.isArray(rows)) return [String(rows)];
  return rows.map((row: unknown) =>
    String(typeof row === 'object' && row !== null ? Object.values(row)[0] : row),
  );
}
