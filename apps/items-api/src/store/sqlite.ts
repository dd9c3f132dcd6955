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
import type { Item, ItemPage, ItemStore, KeyedCreate, NewItem } from './store.js';

/** How long a writer waits for another process's lock before failing, in ms. */
const BUSY_TIMEOUT_MS = 5000;

const pause = new Int32Array(new SharedArrayBuffer(4));

/** SQLite's result code for "database is locked" (the low byte of extended codes). */
const SQLITE_BUSY = 5;

/** True for SQLITE_BUSY from either driver (`code` in better-sqlite3, `errcode` in node:sqlite). */
function isBusy(error: unknown): boolean {
  const { code, errcode } = error as { code?: unknown; errcode?: unknown };
  if (typeof errcode === 'number') return (errcode & 0xff) === SQLITE_BUSY;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

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

/** Runs `body` in a transaction (`BEGIN DEFERRED` or `BEGIN IMMEDIATE`), rolled back if it throws. */
function inTransaction<T>(db: SqliteConnection, mode: 'DEFERRED' | 'IMMEDIATE', body: () => T): T {
  db.exec(`BEGIN ${mode}`);
  try {
    const result = body();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

/** A plain object from a row (node:sqlite's rows have a null prototype). */
const toItem = ({ id, name, stock }: Item): Item => ({ id, name, stock });

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

  // Prepared on first use: the items table does not exist before migrate().
  let statements:
    | Record<'page' | 'count' | 'byId' | 'insert' | 'key' | 'dropKey' | 'addKey', SqliteStatement>
    | undefined;
  const prepared = () => {
    statements ??= {
      page: db.prepare('SELECT id, name, stock FROM items ORDER BY id LIMIT ? OFFSET ?'),
      count: db.prepare('SELECT count(*) AS total FROM items'),
      byId: db.prepare('SELECT id, name, stock FROM items WHERE id = ?'),
      insert: db.prepare('INSERT INTO items (name, stock) VALUES (?, ?) RETURNING id, name, stock'),
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

  return {
    kind: 'sqlite',
    location: path,
    // IMMEDIATE takes the write lock up front, so concurrent workers queue here
    // (for up to BUSY_TIMEOUT_MS) instead of each seeing an empty table.
    migrate: async () => inTransaction(db, 'IMMEDIATE', migrateNow),
    list(limit: number, offset: number): ItemPage {
      const s = prepared();
      return inTransaction(db, 'DEFERRED', () => ({
        items: (s.page.all(limit, offset) as Item[]).map(toItem),
        total: (s.count.get() as { total: number } | undefined)?.total ?? 0,
      }));
    },
    get(id: number): Item | undefined {
      const row = prepared().byId.get(id) as Item | undefined;
      return row === undefined ? undefined : toItem(row);
    },
    create(item: NewItem): Item {
      const created = prepared().insert.get(item.name, item.stock) as Item | undefined;
      if (created === undefined) throw new Error('SQLite returned no row for INSERT … RETURNING');
      return toItem(created);
    },
    // IMMEDIATE: the key is read and written under the write lock, so processes
    // racing on one key queue here and the later ones find it taken.
    createOnce(key: string, item: NewItem, ttlMs: number): KeyedCreate {
      const s = prepared();
      return inTransaction(db, 'IMMEDIATE', (): KeyedCreate => {
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
        const created = toItem(s.insert.get(item.name, item.stock) as Item);
        s.addKey.run(key, fingerprint(item), created.id, now + ttlMs);
        return { outcome: 'created', item: created };
      });
    },
    ping() {
      db.prepare('SELECT 1').get();
    },
    close: async () => {
      db.close();
    },
  };
}
