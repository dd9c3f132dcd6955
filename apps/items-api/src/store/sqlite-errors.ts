import { DatabaseFullError, DatabaseUnavailableError } from './unavailable.js';

/**
 * SQLite's primary result codes that say the storage cannot serve the call
 * now, rather than that the call was wrong: busy or locked past the busy
 * timeout, out of memory, read-only, an I/O error, a full disk, a file that
 * cannot be opened, a WAL-index protocol failure.
 */
const STORAGE_CODES = new Map<number, string>([
  [5, 'SQLITE_BUSY'],
  [6, 'SQLITE_LOCKED'],
  [7, 'SQLITE_NOMEM'],
  [8, 'SQLITE_READONLY'],
  [10, 'SQLITE_IOERR'],
  [13, 'SQLITE_FULL'],
  [14, 'SQLITE_CANTOPEN'],
  [15, 'SQLITE_PROTOCOL'],
]);

const STORAGE_NAMES = new Set(STORAGE_CODES.values());

/**
 * The primary result code of a driver error when it is one of the storage
 * failures above (`SQLITE_FULL`, `SQLITE_IOERR`, …), read from better-sqlite3's
 * `code` (`SQLITE_IOERR_WRITE`) or node:sqlite's numeric `errcode`;
 * `undefined` for any other error (a constraint, a syntax error, a bug).
 */
export function storageCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, errcode } = error as { code?: unknown; errcode?: unknown };
  if (typeof errcode === 'number') return STORAGE_CODES.get(errcode & 0xff);
  const name = typeof code === 'string' ? /^SQLITE_[A-Z]+/.exec(code)?.[0] : undefined;
  return name !== undefined && STORAGE_NAMES.has(name) ? name : undefined;
}

/** True for SQLITE_BUSY from either driver. */
export const isBusy = (error: unknown): boolean => storageCode(error) === 'SQLITE_BUSY';

/**
 * The error the app answers for a failed SQLite call: a {@link DatabaseFullError}
 * (507) for a full disk (SQLITE_FULL: SQLite reports the file system's ENOSPC so), a
 * {@link DatabaseUnavailableError} (503) for another storage failure (see
 * the codes above), else `error` itself (a constraint or a bug stays a 500).
 * The message names the code and the driver's text, for the log; `cause` keeps
 * the driver's error.
 */
export function storageError(error: unknown): unknown {
  if (error instanceof DatabaseUnavailableError) return error;
  const code = storageCode(error);
  const message = (error as Error)?.message;
  if (code === 'SQLITE_FULL') {
    return new DatabaseFullError(`database storage full: ${message} (${code})`, { cause: error });
  }
  if (code !== undefined) {
    return new DatabaseUnavailableError(`database unavailable: ${message} (${code})`, {
      cause: error,
    });
  }
  return error;
}

/** Runs `body`, throwing {@link storageError} of whatever it throws. */
export function guardedSqlite<T>(body: () => T): T {
  try {
    return body();
  } catch (error) {
    throw storageError(error);
  }
}
