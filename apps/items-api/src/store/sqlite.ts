import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fingerprint } from './idempotency.js';
import { MIGRATIONS, MIGRATIONS_TABLE, SEED_ITEMS } from './migrations.js';
import {
  openSqliteConnection,
  type SqliteConnection,
  type SqliteDriverName,
  type SqliteStatement,
} from './sqlite-driver.js';
import { guardedSqlite, isBusy } from './sqlite-errors.js';
import { followSqlite } from './sqlite-follow.js';
import { transaction } from './sqlite-transaction.js';
import type { CreationHandlers, Item, ItemPage, ItemStore, KeyedCreate, NewItem } from './store.js';

/** How long a writer waits for another process's lock before failing, in ms. */
const BUSY_TIMEOUT_MS = 5000;

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * The size the WAL file is cut back to after a checkpoint empties it, in bytes:
 * without it the file keeps the largest size it ever reached.
 */
export const WAL_SIZE_LIMIT = 8 * 1024 * 1024;

/**
 * Switches the file to WAL. When several workers open a fresh file at once,
 * SQLite can answer this switch with SQLITE_BUSY at once, without waiting
 * (a shared lock that must become exclusive while another connection waits
 * for its own), so the switch is retried, a bounded number of times.
 */
function enableWal(db: SqliteConnection): void {
  for (let attempt = 1; ; attempt++) {
    try {
      db.exec('PRAGMA journal_mode = WAL');
      return;
    } catch (error) {
      if (!isBusy(error) || attempt >= 100) throw error;
      Atomics.wait(pause, 0, 0, 5 + attempt);
    }
  }
}

/** The connections of stores not closed yet, checkpointed and closed when the process exits. */
const open = new Set<SqliteConnection>();

/**
 * Copies the WAL into the database and empties it (best effort: a full disk or
 * another process reading leaves it for later), then closes `db`. The last
 * connection to close removes the WAL file.
 */
function checkpointAndClose(db: SqliteConnection): void {
  if (open.delete(db)) {
    try {
      db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    } catch {
      // The WAL stays; SQLite replays it on the next open.
    }
  }
  db.close();
}

/** Registered once: a graceful stop ends with `process.exit()`, which closes no database itself. */
let exitHook = false;
function closeAtExit(db: SqliteConnection): void {
  open.add(db);
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const db of open) checkpointAndClose(db);
  });
}

/**
 * A plain object from a row: node:sqlite's rows have a null prototype and are
 * copied; a driver's plain-object row (better-sqlite3) already has the item's
 * shape, since every item query selects exactly `id, name, stock`, and is
 * returned as it is.
 */
const toItem = (row: Item): Item =>
  Object.getPrototypeOf(row) === Object.prototype
    ? row
    : { id: row.id, name: row.name, stock: row.stock };

/** {@link toItem} over a page of rows, copying the array only when a row needs copying. */
function toItems(rows: Item[]): Item[] {
  for (let i = 0; i < rows.length; i++) {
    if (Object.getPrototypeOf(rows[i]) !== Object.prototype) return rows.map(toItem);
  }
  return rows;
}

/**
 * Opens (creating when missing, with its directory) the SQLite database at
 * `path` in WAL mode, so that readers in every worker never block the writer.
 * `':memory:'` gives a private in-memory database (tests only: each process
 * would see its own). `driver` defaults to `sqliteDriver()`'s choice
 * (`SQLITE_DRIVER`, else `node:sqlite` where present, else `better-sqlite3`).
 *
 * @example
 * const store = openSqliteStore('./data/items.db');
 * await store.migrate();
 */
export function openSqliteStore(path: string, driver?: SqliteDriverName): ItemStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = openSqliteConnection(path, driver);
  // busy_timeout first: switching to WAL itself needs a lock another worker may hold.
  db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (path !== ':memory:') enableWal(db);
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec(`PRAGMA journal_size_limit = ${WAL_SIZE_LIMIT}`);
  closeAtExit(db);

  // Prepared on first use: the items table does not exist before migrate().
  let statements:
    | Record<'page' | 'count' | 'byId' | 'insert' | 'key' | 'dropKey' | 'addKey', SqliteStatement>
    | undefined;
  const prepared = () => {
    statements ??= {
      page: db.prepare('SELECT id, name, stock FROM items ORDER BY id LIMIT ? OFFSET ?'),
      count: db.prepare('SELECT count(*) AS total FROM items'),
      byId: db.prepare('SELECT id, name, stock FROM items WHERE id = ?'),
      insert: db.prepare('INSERT INTO items (name, stock) VALUES (?, ?)'),
      key: db.prepare(
        'SELECT fingerprint, item_id, expires_at FROM idempotency_keys WHERE key = ?',
      ),
      dropKey: db.prepare('DELETE FROM idempotency_keys WHERE key = ?'),
      addKey: db.prepare(
        'INSERT INTO idempotency_keys (key, fingerprint, item_id, expires_at) VALUES (?, ?, ?, ?)',
      ),
    };
    return statements;
  };

  const migrateNow = (): string[] => {
    db.exec(MIGRATIONS_TABLE);
    const rows = db.prepare('SELECT name FROM items_api_migrations').all() as { name: string }[];
    const done = new Set(rows.map((row) => row.name));
    const record = db.prepare('INSERT INTO items_api_migrations (name, applied_at) VALUES (?, ?)');
    const applied: string[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.name)) continue;
      if (migration.sqlite === 'seed') {
        const insert = db.prepare('INSERT INTO items (name, stock) VALUES (?, ?)');
        for (const item of SEED_ITEMS) insert.run(item.name, item.stock);
      } else {
        db.exec(migration.sqlite);
      }
      record.run(migration.name, new Date().toISOString());
      applied.push(migration.name);
    }
    return applied;
  };

  // `.run()` steps the INSERT to its end (no row is left pending to a reset that
  // would swallow an error); the row is read back in the same transaction.
  const insert = (s: ReturnType<typeof prepared>, item: NewItem): Item => {
    const { lastInsertRowid } = s.insert.run(item.name, item.stock) as {
      lastInsertRowid: number | bigint;
    };
    const row = s.byId.get(lastInsertRowid) as Item | undefined;
    if (row === undefined) throw new Error(`SQLite has no row ${lastInsertRowid} after INSERT`);
    return toItem(row);
  };

  // The page `list` reads, set just before the synchronous `listNow` runs:
  // shared functions rather than two closures per request.
  let pageLimit = 0;
  let pageOffset = 0;
  const readPage = (): ItemPage => {
    const s = prepared();
    return {
      items: toItems(s.page.all(pageLimit, pageOffset) as Item[]),
      total: (s.count.get() as { total: number } | undefined)?.total ?? 0,
    };
  };
  const listNow = (): ItemPage => transaction(db, 'DEFERRED', readPage);

  return {
    kind: 'sqlite',
    location: path,
    // IMMEDIATE takes the write lock up front, so concurrent workers queue here
    // (for up to BUSY_TIMEOUT_MS) instead of each seeing an empty table.
    migrate: async () => transaction(db, 'IMMEDIATE', migrateNow),
    list: (limit: number, offset: number): ItemPage => {
      pageLimit = limit;
      pageOffset = offset;
      return guardedSqlite(listNow);
    },
    get: (id: number): Item | undefined =>
      guardedSqlite(() => {
        const row = prepared().byId.get(id) as Item | undefined;
        return row === undefined ? undefined : toItem(row);
      }),
    // Acknowledged only once committed (see `transaction`); IMMEDIATE takes the
    // write lock before the INSERT, so a busy database fails before anything is written.
    create: (item: NewItem): Item =>
      guardedSqlite(() => {
        const s = prepared();
        return transaction(db, 'IMMEDIATE', () => insert(s, item));
      }),
    // IMMEDIATE: the key is read and written under the write lock, so processes
    // racing on one key queue here and the later ones find it taken.
    createOnce: (key: string, item: NewItem, ttlMs: number): KeyedCreate =>
      guardedSqlite(() => {
        const s = prepared();
        return transaction(db, 'IMMEDIATE', (): KeyedCreate => {
          const now = Date.now();
          const found = s.key.get(key) as
            | { fingerprint: string; item_id: number; expires_at: number }
            | undefined;
          if (found !== undefined && Number(found.expires_at) > now) {
            if (found.fingerprint !== fingerprint(item)) return { outcome: 'mismatch' };
            const stored = s.byId.get(found.item_id) as Item;
            return { outcome: 'replayed', item: toItem(stored) };
          }
          if (found !== undefined) s.dropKey.run(key);
          const created = insert(s, item);
          s.addKey.run(key, fingerprint(item), created.id, now + ttlMs);
          return { outcome: 'created', item: created };
        });
      }),
    // A connection of the feed's own (read-only) on a file, so that this
    // process's commits move its data_version too; `:memory:` exists only on
    // the store's connection.
    followCreations: (handlers: CreationHandlers) =>
      followSqlite(() => {
        if (path === ':memory:') return { db, owned: false };
        const reader = openSqliteConnection(path, driver);
        reader.exec('PRAGMA query_only = 1');
        return { db: reader, owned: true };
      }, handlers),
    ping: () =>
      guardedSqlite(() => {
        db.prepare('SELECT 1').get();
      }),
    close: async () => checkpointAndClose(db),
  };
}
