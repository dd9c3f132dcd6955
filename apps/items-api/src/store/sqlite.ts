import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, MIGRATIONS_TABLE, SEED_ITEMS } from './migrations.js';
import type { Item, ItemPage, ItemStore, NewItem } from './store.js';

/** How long a writer waits for another process's lock before failing, in ms. */
const BUSY_TIMEOUT_MS = 5000;

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Switches the file to WAL. When several workers open a fresh file at once,
 * SQLite can answer this switch with SQLITE_BUSY at once, without waiting
 * (a shared lock that must become exclusive while another connection waits
 * for its own), so the switch is retried, a bounded number of times.
 */
function enableWal(db: Database.Database): void {
  for (let attempt = 1; ; attempt++) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      const busy = (error as { code?: string }).code?.startsWith('SQLITE_BUSY') === true;
      if (!busy || attempt >= 100) throw error;
      Atomics.wait(pause, 0, 0, 5 + attempt);
    }
  }
}

/**
 * Opens (creating when missing, with its directory) the SQLite database at
 * `path` in WAL mode, so that readers in every worker never block the writer.
 * `':memory:'` gives a private in-memory database (tests only: each process
 * would see its own).
 *
 * @example
 * const store = openSqliteStore('./data/items.db');
 * await store.migrate();
 */
export function openSqliteStore(path: string): ItemStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // busy_timeout first: switching to WAL itself needs a lock another worker may hold.
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (path !== ':memory:') enableWal(db);
  db.pragma('synchronous = NORMAL');

  // Prepared on first use: the items table does not exist before migrate().
  let statements:
    | {
        page: Database.Statement<[number, number], Item>;
        count: Database.Statement<[], { total: number }>;
        byId: Database.Statement<[number], Item>;
        insert: Database.Statement<[string, number], Item>;
      }
    | undefined;
  const prepared = () => {
    statements ??= {
      page: db.prepare('SELECT id, name, stock FROM items ORDER BY id LIMIT ? OFFSET ?'),
      count: db.prepare('SELECT count(*) AS total FROM items'),
      byId: db.prepare('SELECT id, name, stock FROM items WHERE id = ?'),
      insert: db.prepare('INSERT INTO items (name, stock) VALUES (?, ?) RETURNING id, name, stock'),
    };
    return statements;
  };

  const migrateNow = db.transaction((): string[] => {
    db.exec(MIGRATIONS_TABLE);
    const done = new Set(
      db
        .prepare<[], { name: string }>('SELECT name FROM items_api_migrations')
        .all()
        .map((row) => row.name),
    );
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
  });

  return {
    kind: 'sqlite',
    location: path,
    // IMMEDIATE takes the write lock up front, so concurrent workers queue here
    // (for up to BUSY_TIMEOUT_MS) instead of each seeing an empty table.
    migrate: async () => migrateNow.immediate(),
    list(limit: number, offset: number): ItemPage {
      const s = prepared();
      const read = db.transaction(() => ({
        items: s.page.all(limit, offset),
        total: s.count.get()?.total ?? 0,
      }));
      return read.deferred();
    },
    get: (id: number) => prepared().byId.get(id),
    create(item: NewItem): Item {
      const created = prepared().insert.get(item.name, item.stock);
      if (created === undefined) throw new Error('SQLite returned no row for INSERT … RETURNING');
      return created;
    },
    ping() {
      db.prepare('SELECT 1').get();
    },
    close: async () => {
      db.close();
    },
  };
}
