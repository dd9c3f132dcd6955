/**
 * The database could not be reached or did not answer in time: a lost
 * connection, a refused or timed-out connect, a statement timeout, a server
 * shutting down or out of connections. The app answers it with a 503 (see
 * `answerUnavailable`); `cause` holds the driver's error, for the log only.
 */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
  /** Always 503. */
  readonly status = 503;
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

/** Runs `body`, turning an {@link isUnavailable} error into a {@link DatabaseUnavailableError}. */
export async function guarded<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof DatabaseUnavailableError || !isUnavailable(error)) throw error;
    throw new DatabaseUnavailableError(`database unavailable: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
