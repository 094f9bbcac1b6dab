import { rename, rm } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { assertIntact } from './quick-check';

export interface BackupProgress {
  totalPages: number;
  remainingPages: number;
}

export interface BackupOptions {
  /** Called after each step of the copy. */
  onProgress?: (progress: BackupProgress) => void;
  /** Pages copied per step; smaller steps let other work on the database interleave. */
  pagesPerStep?: number;
}

/** Copies a live database to `toFile` with SQLite's backup API; `toFile` is only ever replaced by a verified copy. */
export async function backupDatabase(
  source: Database.Database,
  toFile: string,
  { onProgress, pagesPerStep = 100 }: BackupOptions = {},
): Promise<BackupProgress> {
  const partial = `${toFile}.partial`;
  await removeDatabaseFiles(partial);
  try {
    const result = await source.backup(partial, {
      progress: (progress) => {
        onProgress?.({ totalPages: progress.totalPages, remainingPages: progress.remainingPages });
        return pagesPerStep;
      },
    });
    const copy = new Database(partial);
    try {
      assertIntact(copy, partial);
      // A backup is one self-contained file: no -wal/-shm companions, readable from read-only media.
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    // rename replaces an older backup atomically; its stale companions must not outlive it.
    await removeDatabaseFiles(toFile, ['-wal', '-shm', '-journal']);
    await rename(partial, toFile);
    return { totalPages: result.totalPages, remainingPages: result.remainingPages };
  } finally {
    await removeDatabaseFiles(partial);
  }
}

async function removeDatabaseFiles(file: string, suffixes = ['', '-wal', '-shm', '-journal']): Promise<void> {
  await Promise.all(suffixes.map((suffix) => rm(`${file}${suffix}`, { force: true })));
}
