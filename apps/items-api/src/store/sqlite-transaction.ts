import { inTransaction, type SqliteConnection } from './sqlite-driver.js';

/**
 * Runs `body` in a transaction (`BEGIN DEFERRED` or `BEGIN IMMEDIATE`) and
 * returns its result only once `COMMIT` succeeded: a write is never
 * acknowledged before SQLite reports it committed (a full disk fails the
 * `COMMIT`, and that error is thrown). `COMMIT` is a statement of its own,
 * run to its end, so its error is never lost in a statement reset (as an
 * autocommit `INSERT … RETURNING` read with `.get()` loses it) and SQLite's
 * WAL auto-checkpoint runs after it.
 *
 * On any error the transaction is rolled back, unless SQLite already did so
 * itself (it does on SQLITE_FULL, SQLITE_IOERR and others), and the original
 * error is thrown: a failed ROLLBACK never hides it. The connection is left
 * with no transaction open, ready for the next call.
 */
export function transaction<T>(
  db: SqliteConnection,
  mode: 'DEFERRED' | 'IMMEDIATE',
  body: () => T,
): T {
  // Constant statements: no string is built per call.
  db.exec(mode === 'IMMEDIATE' ? 'BEGIN IMMEDIATE' : 'BEGIN DEFERRED');
  let result: T;
  try {
    result = body();
    db.exec('COMMIT');
  } catch (error) {
    rollback(db);
    throw error;
  }
  return result;
}

/**
 * Rolls back the open transaction, if any. Where the driver cannot tell
 * whether one is open (node:sqlite before Node 22.16), ROLLBACK is tried and
 * its "no transaction is active" ignored.
 */
function rollback(db: SqliteConnection): void {
  if (inTransaction(db) === false) return;
  try {
    db.exec('ROLLBACK');
  } catch {
    // Nothing was open (SQLite rolled back itself): the caller's error is the one that counts.
  }
}
