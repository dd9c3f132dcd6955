/**
 * The cost of metrics on the request path: the @tsgi/node contender of the
 * servers table (small JSON answer, keep-alive) with a `MetricsCollector`
 * (`serve(app, { metrics })`, what every `tsgi --metrics` worker runs)
 * against the same server without, head to head. The goal (issue 30): at
 * most 5 % fewer requests served. Run with `pnpm --filter @tsgi/node bench:metrics`
 * (after a build); results go to bench/RESULTS.md#node-metrics-h2h.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { servedGoal } from '../../../bench/goal.ts';
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
  notes: [
    '- metrics on: the tsgi_* request metrics and the OpenTelemetry HTTP server metrics (`http_server_request_duration_seconds`, `http_server_active_requests`, the request and response body sizes) of every request; the app sets no `tsgi.route`, so the series have no `http_route` label',
  ],
  conclusions: (rows) =>
    rows
      .filter((row) => row.name === 'metrics on')
      .map((row) =>
        servedGoal(row, {
          issue: 30,
          what: 'metrics on',
          against: 'the same server with metrics off',
          cost: 0.05,
        }),
      ),
});
