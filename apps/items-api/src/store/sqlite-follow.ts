import type { SqliteConnection, SqliteStatement } from './sqlite-driver.js';
import { guardedSqlite } from './sqlite-errors.js';
import type { CreationFeed, CreationHandlers, Item } from './store.js';

/**
 * How often a following SQLite store looks for new items, in ms. SQLite has no
 * channel between processes, so each worker looks at the file itself: a
 * creation reaches that worker's clients within this interval (plus the query).
 */
export const SQLITE_POLL_MS = 100;

/** The most rows one look reads; the rest follow right after, in batches as large. */
const BATCH = 200;

/** The connection a feed reads through, and whether the feed closes it when it stops. */
export interface FollowConnection {
  db: SqliteConnection;
  /**
   * True for a connection of the feed's own (a file database): then
   * `PRAGMA data_version` moves on every commit of any other connection,
   * this process's store included, and an unchanged version skips the query.
   * False for the store's own connection (`:memory:`), whose own commits do
   * not move it: every look runs the query.
   */
  owned: boolean;
}

const toItem = (row: Item): Item => ({
  id: Number(row.id),
  name: String(row.name),
  stock: Number(row.stock),
});

/**
 * Follows the items committed to a SQLite database by every process that
 * opens it. Every {@link SQLITE_POLL_MS} it reads `PRAGMA data_version` and,
 * when that changed, the rows with an id above the last one reported.
 * SQLite has one writer at a time and `BEGIN IMMEDIATE` takes the write lock
 * before the INSERT, so ids are handed out in commit order and `id > last`
 * misses no committed row (AUTOINCREMENT never reuses an id). An error is
 * reported once; the next look that works reports the recovery.
 */
export function followSqlite(
  open: () => FollowConnection,
  handlers: CreationHandlers,
  intervalMs: number = SQLITE_POLL_MS,
): Promise<CreationFeed> {
  let setup: {
    connection: FollowConnection;
    version: SqliteStatement;
    newer: SqliteStatement;
    last: number;
  };
  try {
    setup = guardedSqlite(() => {
      const connection = open();
      try {
        const { db } = connection;
        const top = db.prepare('SELECT coalesce(max(id), 0) AS id FROM items').get() as {
          id: number | bigint;
        };
        return {
          connection,
          version: db.prepare('PRAGMA data_version'),
          newer: db.prepare(
            `SELECT id, name, stock FROM items WHERE id > ? ORDER BY id LIMIT ${BATCH}`,
          ),
          last: Number(top.id),
        };
      } catch (error) {
        if (connection.owned) connection.db.close();
        throw error;
      }
    });
  } catch (error) {
    return Promise.reject(error);
  }
  const { connection, version, newer } = setup;
  let last = setup.last;
  let seenVersion: unknown;
  let failing = false;
  let stopped = false;
  const look = () => {
    if (stopped) return;
    try {
      guardedSqlite(() => {
        const now = (version.get() as { data_version: unknown }).data_version;
        if (connection.owned && now === seenVersion) return;
        seenVersion = now;
        const rows = (newer.all(last) as Item[]).map(toItem);
        if (rows.length === 0) return;
        last = rows[rows.length - 1]!.id;
        handlers.onItems(rows);
        // A full batch: more may wait. Read them once the clients had a turn,
        // so one burst is handed on in batches, not all at once.
        if (rows.length === BATCH) {
          seenVersion = undefined;
          setImmediate(look);
        }
      });
      if (failing) {
        failing = false;
        handlers.onRecovered();
      }
    } catch (error) {
      if (!failing) {
        failing = true;
        handlers.onError(error);
      }
    }
  };
  const timer = setInterval(look, intervalMs);
  // The feed never keeps a worker alive on its own; open WebSockets do.
  timer.unref();
  return Promise.resolve({
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (connection.owned) connection.db.close();
    },
  });
}
