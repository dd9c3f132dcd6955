/**
 * In-process request throughput: @tsgi/test-client (validate off and on) and
 * supertest, each held head to head against light-my-request, answering the
 * same small JSON payload with sequential awaited requests whose JSON body is
 * parsed, as a test suite does (bench/clients.ts). Method of
 * bench/in-process.ts: both sides loop at once in two processes pinned to one
 * CPU; ratios of requests per CPU-second and of requests done.
 *
 * Run: pnpm --filter @tsgi/test-client bench   (BENCH_H2H_DURATION, BENCH_H2H_ROUNDS)
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { runInProcessHeadToHead } from '../../../bench/in-process.ts';
import { CLIENTS } from './clients.ts';

const require = createRequire(import.meta.url);
const version = (name: string): string =>
  (require(`${name}/package.json`) as { version: string }).version;
const side = (workload: keyof typeof CLIENTS) => ({ name: CLIENTS[workload], workload });

await runInProcessHeadToHead({
  title: '@tsgi/test-client in process, head to head with light-my-request',
  results: 'test-client',
  module: fileURLToPath(new URL('./clients.ts', import.meta.url)),
  unit: 'requests',
  pairs: (['validate-off', 'validate-on', 'supertest'] as const).map((workload) => ({
    labels: [],
    baseline: side('light-my-request'),
    contender: side(workload),
  })),
  notes: [
    '- one request: a sequential awaited GET and its JSON body parsed; light-my-request injects into an equivalent node:http handler, supertest requests it on a listening loopback server in the same process',
    `- versions: @tsgi/test-client ${version('@tsgi/test-client')}, light-my-request ${version('light-my-request')}, supertest ${version('supertest')}`,
    '- command: `pnpm --filter @tsgi/test-client bench` (`tsx bench/in-process.bench.ts`)',
  ],
});
