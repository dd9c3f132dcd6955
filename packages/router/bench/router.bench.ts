/**
 * Lookups of @tsgi/router's matcher head to head with find-my-way, rou3 (tree
 * and compiled), memoirist and koa-tree-router, on four route sets. Method of
 * bench/in-process.ts: for each case and peer, ours and the peer loop their
 * lookups at once in two processes pinned to one CPU (bench/lookups.ts);
 * ratios of lookups per CPU-second and of lookups done, ours ÷ the peer's.
 *
 * Run: `pnpm --filter @tsgi/router bench` (`tsx bench/router.bench.ts`);
 * BENCH_FILTER keeps the cases whose "<route set> <lookup>" contains it (such a
 * run only prints), BENCH_H2H_DURATION and BENCH_H2H_ROUNDS set the rounds.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type InProcessPair, runInProcessHeadToHead } from '../../../bench/in-process.ts';
import { formatRatio } from '../../../bench/results.ts';
import { workloadName } from './lookups.ts';
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

const [mine, ...peers] = contenders;
const filter = process.env.BENCH_FILTER;
const pairs: InProcessPair[] = [];
for (const set of routeSets) {
  for (const { name } of set.cases) {
    if (filter && !`${set.name} ${name}`.includes(filter)) continue;
    for (const peer of peers)
      pairs.push({
        labels: [`${set.name} (${set.routes.length} routes)`, name],
        baseline: { name: peer.name, workload: workloadName(peer.name, set.name, name) },
        contender: { name: mine!.name, workload: workloadName(mine!.name, set.name, name) },
      });
  }
}

await runInProcessHeadToHead({
  title: '@tsgi/router lookups head to head with find-my-way, rou3, memoirist and koa-tree-router',
  results: filter ? undefined : 'router',
  module: fileURLToPath(new URL('./lookups.ts', import.meta.url)),
  labelHeaders: ['route set', 'lookup'],
  unit: 'lookups',
  pairs,
  notes: [
    '- one operation: one lookup of `match()` (ours) or of the peer\'s own find; an "in turn" case looks up every path of the set once per call',
    `- versions: ${Object.entries(versions)
      .map(([n, v]) => `${n} ${v}`)
      .join(', ')}`,
    '- command: `pnpm --filter @tsgi/router bench` (`tsx bench/router.bench.ts`)',
  ],
  conclusions(rows) {
    const behind = rows.filter((row) => row.rateRatio < 1);
    return behind.length === 0
      ? ['- per CPU-second, the median puts ours ahead of every peer on every row']
      : behind.map(
          (row) =>
            `- ${row.labels.join(' · ')}: ours does ${formatRatio(row.rateRatio)}× the lookups per CPU-second of ${row.baseline.name} (median)`,
        );
  },
});
