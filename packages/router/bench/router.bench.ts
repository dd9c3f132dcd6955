/**
 * Lookup throughput of @tsgi/router's matcher against find-my-way, rou3 (tree and
 * compiled), memoirist and koa-tree-router, all in this one process and run.
 * Run: `pnpm --filter @tsgi/router bench` (`node --expose-gc --import tsx bench/router.bench.ts`).
 * Every router's answer is checked against the expected pattern before it is timed.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { do_not_optimize, measure } from 'mitata';
import { markdownTable, publishResults } from '../../../bench/results.ts';
import { contenders } from './peers.js';
import { routeSets } from './route-sets.js';

/** Reads a dependency's version from the nearest node_modules, without going through its exports map. */
const versionOf = (name: string): string => {
  for (
    let dir = dirname(fileURLToPath(import.meta.url));
    dir !== dirname(dir);
    dir = dirname(dir)
  ) {
    try {
      const json = readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8');
      return (JSON.parse(json) as { version: string }).version;
    } catch {}
  }
  return 'unknown';
};
const ours = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
const versions: Record<string, string> = {
  '@tsgi/router': ours,
  'find-my-way': versionOf('find-my-way'),
  'rou3 (tree)': versionOf('rou3'),
  'rou3 (compiled)': versionOf('rou3'),
  memoirist: versionOf('memoirist'),
  'koa-tree-router': versionOf('koa-tree-router'),
};

const WARMUP_MS = 500;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

if (typeof globalThis.gc !== 'function')
  console.log(
    'note: run with --expose-gc (as `pnpm bench` does) so mitata can collect garbage between samples',
  );
/** The notes under the table, then one row per route set and case. */
const notes = [
  `- command: \`pnpm --filter @tsgi/router bench\` (\`node ${[...process.execArgv, relative(process.cwd(), process.argv[1]!)].join(' ')}\`); mitata ${versionOf('mitata')}`,
  `- versions: ${Object.entries(versions)
    .map(([n, v]) => `${n} ${v}`)
    .join(', ')}`,
  `- each router is warmed up for ${WARMUP_MS} ms, then measured in ${ROUNDS} alternating rounds; the best round counts`,
  '- millions of route lookups per second (median of mitata samples), bold the fastest in the row; last column: ours ÷ the fastest peer (>1: ours faster)',
];
const rows: string[][] = [];
const filter = process.env.BENCH_FILTER;
for (const set of routeSets) {
  console.log(`${set.name} (${set.routes.length} routes)`);
  for (const benchCase of set.cases) {
    if (filter && !`${set.name} ${benchCase.name}`.includes(filter)) continue;
    // Build, check and warm up every contender first; then measure them in
    // alternating rounds and keep each one's best round, so that load from other
    // processes on this shared machine hits everyone alike.
    const loops = contenders.map((contender) => {
      const lookup = contender.build(set.routes);
      for (const { method, path, expect } of benchCase.lookups) {
        const got = contender.patternOf(lookup(method, path));
        if (got !== expect)
          throw new Error(`${contender.name}: ${method} ${path} found ${got}, expected ${expect}`);
      }
      const methods = benchCase.lookups.map((l) => l.method);
      const paths = benchCase.lookups.map((l) => l.path);
      const n = paths.length;
      const loop = () => {
        for (let i = 0; i < n; i++)
          do_not_optimize(lookup(methods[i] as string, paths[i] as string));
      };
      for (const start = performance.now(); performance.now() - start < WARMUP_MS; ) loop();
      return { name: contender.name, loop, n };
    });
    const results = loops.map(({ name }) => ({ name, ops: 0 }));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, { loop, n }] of loops.entries()) {
        const stats = await measure(loop, { min_cpu_time: 120 * 1e6 });
        const result = results[i] as { ops: number };
        result.ops = Math.max(result.ops, (n * 1e9) / stats.p50);
      }
    }
    const mine = results[0]?.ops ?? 0;
    const best = Math.max(...results.slice(1).map((r) => r.ops));
    console.log(`  ${benchCase.name}: ours vs fastest peer ${(mine / best).toFixed(2)}×`);
    const top = Math.max(mine, best);
    rows.push([
      `${set.name} (${set.routes.length} routes)`,
      benchCase.name,
      ...results.map((r) =>
        r.ops === top ? `**${(r.ops / 1e6).toFixed(2)}**` : (r.ops / 1e6).toFixed(2),
      ),
      `${(mine / best).toFixed(2)}×`,
    ]);
  }
}
publishResults(
  filter ? undefined : 'router',
  '@tsgi/router lookups against find-my-way, rou3, memoirist and koa-tree-router',
  `${markdownTable(['route set', 'lookup', ...contenders.map((c) => c.name), 'ours ÷ fastest peer'], rows, 2)}\n\n${notes.join('\n')}`,
);
