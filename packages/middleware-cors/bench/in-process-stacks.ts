/**
 * The workloads of the in-process middleware benchmark (in-process.bench.ts),
 * each run in a child process of its own by bench/in-process.ts: one request
 * without the network: build an environ, call the app, drain the body the way
 * @tsgi/node does (arrays and sync iterables synchronously), close it. Also a
 * naive timing wrapper that turns every body into an async generator, which
 * shows why timing keeps an array body an array. Uses the built packages.
 */
import { cors } from '@tsgi/middleware-cors';
import { timing } from '@tsgi/middleware-timing';
import type { Application, Environ, ResponseBody, StartResponse } from '@tsgi/spec';
import { do_not_optimize } from 'mitata';
import type { Operation } from '../../../bench/in-process.ts';

const ORIGIN = 'https://app.example';
const HELLO = new TextEncoder().encode('Hello, World!');
const HEADERS: Array<[string, string]> = [
  ['Content-Type', 'text/plain; charset=utf-8'],
  ['Content-Length', String(HELLO.byteLength)],
];
const hello: Application = (_environ, startResponse) => {
  startResponse('200 OK', HEADERS);
  return [HELLO];
};
const discard = { write() {}, flush() {} };

/** The obvious timing middleware: every body becomes an async generator. */
const naiveTiming =
  (app: Application): Application =>
  async (environ, startResponse) => {
    const t0 = performance.now();
    const body = await app(environ, (status, headers, excInfo) =>
      startResponse(
        status,
        [...headers, ['X-Process-Time', (performance.now() - t0).toFixed(2)]],
        excInfo,
      ),
    );
    return (async function* () {
      try {
        for await (const chunk of body) yield chunk;
      } finally {
        await body.close?.();
        environ['tsgi.errors'].write(`${environ.PATH_INFO} ${performance.now() - t0}\n`);
      }
    })();
  };

const startResponse: StartResponse = (_status, headers) => {
  do_not_optimize(headers);
  return async () => {};
};

function environ(): Environ {
  return {
    REQUEST_METHOD: 'GET',
    SCRIPT_NAME: '',
    PATH_INFO: '/',
    QUERY_STRING: '',
    SERVER_NAME: '127.0.0.1',
    SERVER_PORT: '8080',
    SERVER_PROTOCOL: 'HTTP/1.1',
    REMOTE_ADDR: '127.0.0.1',
    REMOTE_PORT: '50000',
    REQUEST_URI: '/',
    HTTP_HOST: '127.0.0.1:8080',
    HTTP_ORIGIN: ORIGIN,
    'tsgi.version': [1, 0],
    'tsgi.url_scheme': 'http',
    'tsgi.input': undefined as never,
    'tsgi.errors': discard,
    'tsgi.multithread': true,
    'tsgi.multiprocess': false,
    'tsgi.run_once': false,
  };
}

/** One request as @tsgi/node runs it: sync when it can be. */
function drainSync(body: ResponseBody): void | Promise<void> {
  if (Array.isArray(body) || Symbol.iterator in body) {
    for (const chunk of body as Iterable<Uint8Array>) do_not_optimize(chunk);
    return (body as { close?(): void | Promise<void> }).close?.();
  }
  return (async () => {
    for await (const chunk of body as AsyncIterable<Uint8Array>) do_not_optimize(chunk);
    await body.close?.();
  })();
}

function request(app: Application): void | Promise<void> {
  const result = app(environ(), startResponse);
  if (typeof (result as Promise<ResponseBody>).then === 'function') {
    return (result as Promise<ResponseBody>).then(drainSync);
  }
  return drainSync(result as ResponseBody);
}

const corsOptions = { origin: [ORIGIN], credentials: true, exposedHeaders: ['X-Process-Time'] };

/** The stacks, by workload name: their name in the table and how to build them. */
export const STACKS: Record<string, [string, () => Application]> = {
  none: ['no middleware', () => hello],
  timing: ['timing (log line to tsgi.errors)', () => timing(hello, { serverTiming: true })],
  'timing-quiet': ['timing, log: false', () => timing(hello, { log: false })],
  naive: ['naive timing (async generator body)', () => naiveTiming(hello)],
  cors: ['cors (origin list, credentials)', () => cors(hello, corsOptions)],
  'cors-default': ["cors (default '*')", () => cors(hello)],
  both: ['cors + timing', () => cors(timing(hello, { serverTiming: true }), corsOptions)],
};

/** One request through the stack named `workload`. */
export function prepare(workload: string): Operation {
  const stack = STACKS[workload];
  if (stack === undefined) throw new Error(`no middleware stack ${JSON.stringify(workload)}`);
  const app = stack[1]();
  return { run: () => request(app) };
}
