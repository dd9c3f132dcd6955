/**
 * In-process request throughput: @tsgi/test-client against light-my-request and
 * supertest, each answering the same small JSON payload. Sequential requests,
 * each awaited and its JSON body parsed, as a test suite would.
 *
 * Run: pnpm --filter @tsgi/test-client bench   (BENCH_MS=<ms per round> to change the round length)
 */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { type Application, jsonResponse } from '@tsgi/spec';
import inject from 'light-my-request';
import supertest from 'supertest';
import { markdownTable, publishResults } from '../../../bench/results.ts';
import { createClient } from '../src/index.ts';

const require = createRequire(import.meta.url);
const version = (name: string): string =>
  (require(`${name}/package.json`) as { version: string }).version;

const ROUNDS = 5;
const ROUND_MS = Number(process.env.BENCH_MS ?? 1000);
const MAX_REQUESTS_PER_ROUND = 2_000_000;

const payload = { status: 'ok', items: [1, 2, 3] };

// The TSGI app and an equivalent node:http handler: same headers, same bytes.
const app: Application = (_environ, startResponse) => jsonResponse(startResponse, 200, payload);
const body = Buffer.from(JSON.stringify(payload));
function handler(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(body.byteLength),
  });
  res.end(body);
}

type Contender = { name: string; once: () => Promise<unknown> };

const validated = createClient(app);
const unvalidated = createClient(app, { validate: false });
const server = createServer(handler);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const contenders: Contender[] = [
  {
    name: '@tsgi/test-client, validate off',
    once: async () => (await unvalidated.get('/health')).json(),
  },
  {
    name: '@tsgi/test-client, validate on (default)',
    once: async () => (await validated.get('/health')).json(),
  },
  {
    name: 'light-my-request inject',
    once: async () => (await inject(handler, { method: 'GET', url: '/health' })).json(),
  },
  {
    name: 'supertest, listening server (loopback)',
    once: async () => (await supertest(serverUrl).get('/health')).body,
  },
];

async function round(contender: Contender): Promise<number> {
  const start = performance.now();
  const deadline = start + ROUND_MS;
  let count = 0;
  while (count < MAX_REQUESTS_PER_ROUND) {
    await contender.once();
    count++;
    if ((count & 63) === 0 && performance.now() > deadline) break;
  }
  return (count * 1000) / (performance.now() - start);
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

// Check every contender answers the same thing before timing anything.
for (const contender of contenders) {
  const result = await contender.once();
  if (JSON.stringify(result) !== JSON.stringify(payload)) {
    throw new Error(`${contender.name} answered ${JSON.stringify(result)}`);
  }
}

const results = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
for (const contender of contenders) await round({ ...contender }); // warm-up
for (let i = 0; i < ROUNDS; i++) {
  // Interleave contenders so machine noise spreads over all of them.
  for (const contender of contenders) results.get(contender.name)!.push(await round(contender));
}
server.close();

const baseline = median(results.get('light-my-request inject')!);
const table = markdownTable(
  ['contender', 'req/s (median)', 'vs light-my-request'],
  contenders.map(({ name }) => {
    const rate = median(results.get(name)!);
    return [name, Math.round(rate).toLocaleString('en-US'), `${(rate / baseline).toFixed(2)}×`];
  }),
);
publishResults(
  'test-client',
  '@tsgi/test-client in process, against light-my-request and supertest',
  `${table}

- sequential awaited GET + JSON parse, median of ${ROUNDS} rounds of ${ROUND_MS} ms, contenders interleaved
- versions: @tsgi/test-client ${version('@tsgi/test-client')}, light-my-request ${version('light-my-request')}, supertest ${version('supertest')}
- command: \`pnpm --filter @tsgi/test-client bench\` (\`tsx bench/in-process.bench.ts\`)`,
);
