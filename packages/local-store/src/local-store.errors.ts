/** The database file failed its integrity check or is not a SQLite database at all. */
export class LocalStoreCorruptError extends Error {
  override readonly name = 'LocalStoreCorruptError';

  constructor(
    readonly file: string,
    /** What SQLite reported: quick_check's findings, or the error that stopped it. */
    readonly problems: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(
      `The local database ${file} is damaged (${problems.slice(0, 3).join('; ')}). ` +
        'It was left untouched: restore it from a backup, or move it aside and sync again from the server.',
      options,
    );
  }
}

/** The database's applied migrations do not match the ones this build knows. */
export class LocalStoreMigrationError extends Error {
  override readonly name = 'LocalStoreMigrationError';
}
