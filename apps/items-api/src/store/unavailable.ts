/**
 * The database could not be reached, did not answer in time or could not
 * store: a lost connection, a refused or timed-out connect, a statement
 * timeout, a server shutting down or out of connections, a SQLite I/O error
 * or lock held too long. The app answers it with a 503 (see
 * `answerUnavailable`); `cause` holds the driver's error, for the log only.
 * Nothing the failed call was to write is stored.
 */
export class DatabaseUnavailableError extends Error {
  override name: string = 'DatabaseUnavailableError';
  /** 503; 507 for a {@link DatabaseFullError}. */
  readonly status: 503 | 507 = 503;
}

/**
 * The database's storage is full (SQLite's SQLITE_FULL, ENOSPC, PostgreSQL's
 * disk_full): the write was not committed. Answered with a 507 Insufficient
 * Storage; service resumes by itself once space is freed.
 */
export class DatabaseFullError extends DatabaseUnavailableError {
  override name = 'DatabaseFullError';
  /** Always 507. */
  override readonly status = 507;
}

/**
 * SQLSTATE classes that mean "not now" rather than "wrong": 08 connection
 * exception, 53 insufficient resources (too many connections), 57 operator
 * intervention (statement timeout, shutdown, starting up), 58 system error.
 */
const TRANSIENT_CLASSES = new Set(['08', '53', '57', '58']);

/**
 * True when `error` from the PostgreSQL driver says the database is out of
 * reach rather than that the query was wrong: a socket error (`ECONNREFUSED`,
 * `ETIMEDOUT`, …), one of the driver's own timeouts or lost connections (no
 * SQLSTATE), or a SQLSTATE in a transient class. A constraint or syntax
 * error (classes 22, 23, 42, …) is a bug and stays a 500.
 */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    return TRANSIENT_CLASSES.has(code.slice(0, 2));
  }
  return true;
}

/** PostgreSQL's SQLSTATE for "disk full" (class 53, insufficient resources). */
const PG_DISK_FULL = '53100';

/**
 * Runs `body`, turning an {@link isUnavailable} error into a {@link DatabaseUnavailableError}
 * (a {@link DatabaseFullError} for PostgreSQL's disk_full).
 */
export async function guarded<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof DatabaseUnavailableError || !isUnavailable(error)) throw error;
    if ((error as { code?: unknown }).code === PG_DISK_FULL) {
      throw new DatabaseFullError(`database storage full: ${(error as Error).message}`, {
        cause: error,
      });
    }
    throw new DatabaseUnavailableError(`database unavailable: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
