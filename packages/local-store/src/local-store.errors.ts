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

/** Writes are refused: the licence lease ran out offline, the subscription expired, or the app is too old. */
export class LocalStoreReadOnlyError extends Error {
  override readonly name = 'LocalStoreReadOnlyError';

  constructor(
    /** Why the store is read-only, as the sync engine recorded it. */
    readonly reason: string,
  ) {
    super(`ClinicDesk is read-only on this computer (${reason}); nothing was saved.`);
  }
}

/** The store lacks what a write needs: the clinic identity, or the clinic code for patient codes. */
export class LocalStoreNotReadyError extends Error {
  override readonly name = 'LocalStoreNotReadyError';
}

/** One problem found while validating a write, with the path of the offending field. */
export interface ValidationIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** A create or update failed the domain schema; nothing of the whole write was saved. */
export class LocalWriteValidationError extends Error {
  override readonly name = 'LocalWriteValidationError';

  constructor(
    readonly entity: string,
    readonly op: 'create' | 'update' | 'resubmit',
    readonly id: string | null,
    readonly issues: readonly ValidationIssue[],
  ) {
    super(
      `Invalid ${op} of ${entity}${id === null ? '' : ` ${id}`}: ` +
        issues.map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`).join('; '),
    );
  }
}

/** An update or delete named a row that does not exist locally (or was deleted). */
export class LocalRowNotFoundError extends Error {
  override readonly name = 'LocalRowNotFoundError';

  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`No ${entity} with id ${id} in the local store.`);
  }
}

/** A create used an id that already exists locally. */
export class LocalRowExistsError extends Error {
  override readonly name = 'LocalRowExistsError';

  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`A ${entity} with id ${id} already exists in the local store.`);
  }
}
