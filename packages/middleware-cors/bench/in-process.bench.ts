/**
 * The per-request cost of each middleware without the network, head to head
 * with the same hello world without middleware (bench/in-process-stacks.ts:
 * build an environ, call the app, drain and close the body as @tsgi/node
 * does). Method of bench/in-process.ts: both stacks loop at once in two
 * processes pinned to one CPU; ratios of requests per CPU-second and of
 * requests done, and the CPU time per request of each. Uses the built packages.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runInProcessHeadToHead } from '../../../bench/in-process.ts';
import { STACKS } from './in-process-stacks.ts';

const versionOf = (dir: string) =>
  (
    JSON.parse(readFileSync(new URL(`../../${dir}/package.json`, import.meta.url), 'utf8')) as {
      version: string;
    }
  ).version;
const side = (workload: string) => ({ name: STACKS[workload]![0], workload });

await runInProcessHeadToHead({
  title: 'Middleware cost per request in process, head to head with no middleware',
  results: 'middleware-in-process',
  module: fileURLToPath(new URL('./in-process-stacks.ts', import.meta.url)),
  unit: 'requests',
  pairs: Object.keys(STACKS)
    .filter((workload) => workload !== 'none')
    .map((workload) => ({ labels: [], baseline: side('none'), contender: side(workload) })),
  notes: [
    `- versions: @tsgi/middleware-cors ${versionOf('middleware-cors')}, @tsgi/middleware-timing ${versionOf('middleware-timing')}`,
    '- command: `pnpm --filter @tsgi/middleware-cors bench` (after `pnpm build`)',
    '- a 50k req/s server spends 20 µs per request, so 5 % of its throughput is 1 µs of CPU per request',
  ],
});
