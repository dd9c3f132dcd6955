/**
 * The workloads of the test-client benchmark (in-process.bench.ts), each run in
 * a child process of its own by bench/in-process.ts: one sequential awaited
 * GET with its JSON body parsed, as a test suite does, against the same small
 * JSON payload. `prepare` checks the answer before anything is timed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Application, jsonResponse } from '@tsgi/spec';
import inject from 'light-my-request';
import supertest from 'supertest';
import type { Operation } from '../../../bench/in-process.ts';
import { createClient } from '../src/index.ts';

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

/** The contenders, by workload name, with what each one request does. */
export const CLIENTS = {
  'validate-off': '@tsgi/test-client, validate off',
  'validate-on': '@tsgi/test-client, validate on (default)',
  'light-my-request': 'light-my-request inject',
  supertest: 'supertest, listening server (loopback)',
} as const;

/** Builds one contender's request (a {@link Operation}) and checks its answer. */
export async function prepare(workload: string): Promise<Operation> {
  let once: () => Promise<unknown>;
  let close: (() => Promise<void>) | undefined;
  if (workload === 'validate-off' || workload === 'validate-on') {
    const client = createClient(app, { validate: workload === 'validate-on' });
    once = async () => (await client.get('/health')).json();
  } else if (workload === 'light-my-request') {
    once = async () => (await inject(handler, { method: 'GET', url: '/health' })).json();
  } else if (workload === 'supertest') {
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    once = async () => (await supertest(url).get('/health')).body;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  } else {
    throw new Error(`no test-client workload ${JSON.stringify(workload)}`);
  }
  const answer = await once();
  if (JSON.stringify(answer) !== JSON.stringify(payload))
    throw new Error(`${workload} answered ${JSON.stringify(answer)}`);
  return { run: once, ...(close === undefined ? {} : { close }) };
}
