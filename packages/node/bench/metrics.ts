/**
 * The cost of metrics on the request path: the @tsgi/node contender of the
 * servers table (small JSON answer, keep-alive) with a `MetricsCollector`
 * (`serve(app, { metrics })`, what every `tsgi --metrics` worker runs)
 * against the same server without, head to head. The goal: at most 3 %
 * fewer requests served. Run with `pnpm --filter @tsgi/node bench:metrics`
 * (after a build); results go to bench/RESULTS.md#node-metrics-h2h.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Contender } from '../../../bench/harness.ts';
import { runHeadToHead } from '../../../bench/head-to-head.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const own = JSON.parse(readFileSync(`${here}../package.json`, 'utf8')) as { version: string };
const tsgi = (name: string, metrics: boolean): Contender => ({
  name,
  command: [process.execPath, 'servers/tsgi.mjs'],
  cwd: here,
  env: { BENCH_METRICS: metrics ? '1' : '0' },
  version: `@tsgi/node ${own.version}${metrics ? ' with serve(app, { metrics: new MetricsCollector() })' : ''}`,
});

await runHeadToHead({
  title: '@tsgi/node with metrics on against off (head to head)',
  results: 'node-metrics-h2h',
  contenders: [tsgi('metrics off', false), tsgi('metrics on', true)],
});
