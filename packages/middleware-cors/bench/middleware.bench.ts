/**
 * Hello world through @tsgi/node: no middleware, timing, cors, both. Each
 * contender runs in its own process (bench/server.mjs, built packages) and the
 * shared harness alternates them. Run `pnpm --filter @tsgi/middleware-cors bench`
 * after `pnpm build`; BENCH_DURATION / BENCH_ROUNDS / BENCH_CONNECTIONS adjust it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Contender, runBench } from '../../../bench/harness.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const versionOf = (dir: string) =>
  (JSON.parse(readFileSync(`${here}../../${dir}/package.json`, 'utf8')) as { version: string })
    .version;

const contender = (name: string, middleware: string, version: string): Contender => ({
  name,
  command: [process.execPath, 'server.mjs'],
  cwd: here,
  env: { BENCH_MIDDLEWARE: middleware },
  version,
});

const contenders = [
  contender('no middleware', 'none', `@tsgi/node ${versionOf('node')}`),
  contender('timing', 'timing', `@tsgi/middleware-timing ${versionOf('middleware-timing')}`),
  contender('cors', 'cors', `@tsgi/middleware-cors ${versionOf('middleware-cors')}`),
  contender('cors + timing', 'both', 'both of them'),
];

const rows = await runBench({
  title: 'Middleware cost: hello world on @tsgi/node (Origin: https://app.example)',
  contenders,
});

const base = rows[0]!;
console.log('');
for (const row of rows.slice(1)) {
  const throughputCost = (1 - row.requestsPerSecond / base.requestsPerSecond) * 100;
  const cpuCost = (row.cpuPerRequest / base.cpuPerRequest - 1) * 100;
  console.log(
    `${row.name}: ${throughputCost.toFixed(1)}% less throughput, ${cpuCost.toFixed(1)}% more server CPU per request (goal ≤ 5% per middleware)`,
  );
}
