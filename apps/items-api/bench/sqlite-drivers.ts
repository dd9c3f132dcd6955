/**
 * The SQLite drivers on items-api's own queries: GET /items/:id (`get`), one page
 * of GET /items (`list(20, offset)`, the page and the total in one read
 * transaction) and POST /items (`create`), through the store the app uses, on a
 * WAL file with 1,000 items. Runs each driver that loads on this Node (see
 * `availableSqliteDrivers`) and writes the figures to bench/RESULTS.md, one
 * section per Node major version.
 *
 *   pnpm --filter items-api bench                 (BENCH_ROUNDS, BENCH_OPS to change the size)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordResults } from '../../../bench/results.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { availableSqliteDrivers, type SqliteDriverName } from '../src/store/sqlite-driver.js';
import type { ItemStore } from '../src/store/store.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const OPS = Number(process.env.BENCH_OPS ?? 5000);
const ITEMS = 1000;

type Query = (store: ItemStore, i: number) => unknown;

/** The three queries, as the views make them. */
const QUERIES: [string, Query][] = [
  ['GET /items/:id', (store, i) => store.get((i % ITEMS) + 1)],
  ['GET /items?limit=20', (store, i) => store.list(20, (i * 20) % ITEMS)],
  ['POST /items', (store, i) => store.create({ name: `bench ${i}`, stock: i % 100 })],
];

/** Median microseconds per call of `query` over ROUNDS rounds of OPS calls. */
function measure(store: ItemStore, query: Query): number {
  for (let i = 0; i < OPS / 10; i++) query(store, i); // warm-up
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < OPS; i++) query(store, i);
    rounds.push(Number(process.hrtime.bigint() - start) / 1000 / OPS);
  }
  rounds.sort((a, b) => a - b);
  return rounds[Math.floor(rounds.length / 2)]!;
}

async function run(driver: SqliteDriverName, dir: string): Promise<number[]> {
  const store = openSqliteStore(join(dir, `${driver.replace(':', '-')}.db`), driver);
  try {
    await store.migrate();
    for (let i = (await store.list(1, 0)).total; i < ITEMS; i++) {
      await store.create({ name: `item ${i}`, stock: i });
    }
    return QUERIES.map(([, query]) => measure(store, query));
  } finally {
    await store.close();
  }
}

const drivers = availableSqliteDrivers();
if (drivers.length === 0) throw new Error('no SQLite driver loads on this Node');
const dir = mkdtempSync(join(tmpdir(), 'items-api-sqlite-bench-'));
const rows: string[] = [];
try {
  const figures = new Map<SqliteDriverName, number[]>();
  for (const driver of drivers) figures.set(driver, await run(driver, dir));
  const base = figures.get(drivers[0]!)!;
  for (const [driver, micros] of figures) {
    const cells = micros.map((us, i) => `${us.toFixed(2)} µs (${(us / base[i]!).toFixed(2)}×)`);
    rows.push(`| ${driver} | ${cells.join(' | ')} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const major = process.versions.node.split('.')[0];
const table = [
  `Median time per call through the store, ${ROUNDS} rounds of ${OPS} calls, WAL file, ${ITEMS} items; ratio to ${drivers[0]}.`,
  ...(drivers.length === 1 ? [`Only ${drivers[0]} loads on this Node.`] : []),
  '',
  `| driver | ${QUERIES.map(([name]) => name).join(' | ')} |`,
  `| --- | ${QUERIES.map(() => '---').join(' | ')} |`,
  ...rows,
].join('\n');
console.log(table);
recordResults(`items-api-sqlite-node${major}`, `items-api: SQLite drivers on Node ${major}`, table);
