/**
 * The SQLite drivers on items-api's own queries, head to head: GET /items/:id
 * (`get`), one page of GET /items (`list(20, offset)`, the page and the total
 * in one read transaction) and POST /items (`create`), through the store the
 * app uses, on a WAL file with 1,000 items (bench/sqlite-queries.ts).
 * better-sqlite3 is held against node:sqlite by the method of
 * bench/in-process.ts: both loop the same query at once in two processes pinned
 * to one CPU. Needs a Node on which both load (≥ 22.13 with better-sqlite3
 * built for it, `TSGI_BUILD_BETTER_SQLITE3=1 pnpm install`); elsewhere it says
 * so and writes nothing. One section per Node major version.
 *
 *   pnpm --filter items-api bench        (BENCH_H2H_DURATION, BENCH_H2H_ROUNDS)
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { runInProcessHeadToHead } from '../../../bench/in-process.ts';
import { availableSqliteDrivers } from '../src/store/sqlite-driver.js';
import { ITEMS, QUERIES } from './sqlite-queries.ts';

const drivers = availableSqliteDrivers();
const major = process.versions.node.split('.')[0];
if (!drivers.includes('node:sqlite') || !drivers.includes('better-sqlite3')) {
  console.log(
    `items-api SQLite drivers: only ${drivers.join(', ') || 'no driver'} loads on Node ${process.version}, nothing to hold head to head; no table`,
  );
} else {
  const better = (
    createRequire(import.meta.url)('better-sqlite3/package.json') as { version: string }
  ).version;
  await runInProcessHeadToHead({
    title: `items-api: SQLite drivers head to head on Node ${major}`,
    results: `items-api-sqlite-node${major}`,
    module: fileURLToPath(new URL('./sqlite-queries.ts', import.meta.url)),
    labelHeaders: ['query'],
    unit: 'calls',
    pairs: Object.keys(QUERIES).map((query) => ({
      labels: [query],
      baseline: { name: 'node:sqlite', workload: `node:sqlite|${query}` },
      contender: { name: 'better-sqlite3', workload: `better-sqlite3|${query}` },
    })),
    notes: [
      `- one call: the query through the store (src/store/sqlite.ts), on a WAL file of its own seeded with ${ITEMS} items`,
      `- versions: node:sqlite of Node ${process.version}, better-sqlite3 ${better}`,
      '- command: `pnpm --filter items-api bench` (`tsx bench/sqlite-drivers.ts`)',
    ],
  });
}
