/**
 * The workloads of the SQLite drivers benchmark (sqlite-drivers.ts), each run
 * in a child process of its own by bench/in-process.ts: one of items-api's
 * queries through the store the app uses, on its own WAL file in a temp dir
 * seeded with 1,000 items. The workload name is `<driver>|<query>`, e.g.
 * `node:sqlite|GET /items/:id`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Operation } from '../../../bench/in-process.ts';
import { openSqliteStore } from '../src/store/sqlite.js';
import type { SqliteDriverName } from '../src/store/sqlite-driver.js';
import type { ItemStore } from '../src/store/store.js';

/** Items in the file before the measurement. */
export const ITEMS = 1000;

type Query = (store: ItemStore, i: number) => unknown;

/** The three queries, as the views make them. */
export const QUERIES: Record<string, Query> = {
  'GET /items/:id': (store, i) => store.get((i % ITEMS) + 1),
  'GET /items?limit=20': (store, i) => store.list(20, (i * 20) % ITEMS),
  'POST /items': (store, i) => store.create({ name: `bench ${i}`, stock: i % 100 }),
};

/** Opens and seeds a store with `<driver>`, and returns `<query>` on it. */
export async function prepare(workload: string): Promise<Operation> {
  const [driver, name] = workload.split('|') as [SqliteDriverName, string];
  const query = QUERIES[name];
  if (query === undefined) throw new Error(`no SQLite workload ${JSON.stringify(workload)}`);
  const dir = mkdtempSync(join(tmpdir(), 'items-api-sqlite-bench-'));
  const store = openSqliteStore(join(dir, 'items.db'), driver);
  await store.migrate();
  for (let i = (await store.list(1, 0)).total; i < ITEMS; i++) {
    await store.create({ name: `item ${i}`, stock: i });
  }
  let i = 0;
  return {
    run: () => query(store, i++),
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
