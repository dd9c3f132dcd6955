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

const contender = (name: string, middleware: string): Contender => ({
  name,
  command: [process.execPath, 'server.mjs'],
  cwd: here,
  env: { BENCH_MIDDLEWARE: middleware },
});

const contenders = [
  contender('no middleware', 'none'),
  contender('timing', 'timing'),
  contender('cors', 'cors'),
  contender('cors + timing', 'both'),
];
contenders[0]!.version = [
  `@tsgi/node ${versionOf('node')}`,
  `@tsgi/middleware-timing ${versionOf('middleware-timing')}`,
  `@tsgi/middleware-cors ${versionOf('middleware-cors')}`,
].join(', ');

const rows = await runBench({
  title: 'Middleware cost: hello world on @tsgi/node (Origin: https://app.example)',
  contenders,
});

const base = rows[0]!.requestsPerSecond;
console.log('');
for (const row of rows.slice(1)) {
  const cost = (1 - row.requestsPerSecond / base) * 100;
  console.log(`${row.name}: costs ${cost.toFixed(1)}% of throughput (goal ≤ 5% per middleware)`);
}
