/**
 * The per-request cost of each middleware, in nanoseconds, without the
 * network: build an environ, call the app, drain the body the way @tsgi/node
 * does (arrays and sync iterables synchronously), close it. Also measures why
 * timing keeps an array body an array: against a naive wrapper that turns
 * every body into an async generator. Uses the built packages.
 */
import { readFileSync } from 'node:fs';
import { cors } from '@tsgi/middleware-cors';
import { timing } from '@tsgi/middleware-timing';
import type { Application, Environ, ResponseBody, StartResponse } from '@tsgi/spec';
import { do_not_optimize, measure } from 'mitata';
import { markdownTable, publishResults } from '../../../bench/results.ts';

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
    return body.close?.();
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
const cases: Array<[string, Application]> = [
  ['no middleware', hello],
  ['timing (log line to tsgi.errors)', timing(hello, { serverTiming: true })],
  ['timing, log: false', timing(hello, { log: false })],
  ['naive timing (async generator body)', naiveTiming(hello)],
  ['cors (origin list, credentials)', cors(hello, corsOptions)],
  ["cors (default '*')", cors(hello)],
  ['cors + timing', cors(timing(hello, { serverTiming: true }), corsOptions)],
];

const rows: Array<[string, number]> = [];
for (const [name, app] of cases) {
  const sample = request(app);
  const isAsync = sample !== undefined;
  if (isAsync) await sample;
  const stats = await measure(isAsync ? async () => request(app) : () => request(app));
  rows.push([name, stats.p50]);
}

const versionOf = (dir: string) =>
  (
    JSON.parse(readFileSync(new URL(`../../${dir}/package.json`, import.meta.url), 'utf8')) as {
      version: string;
    }
  ).version;
const base = rows[0]![1];
const table = markdownTable(
  ['stack', 'ns/request', 'added by the middleware'],
  rows.map(([name, ns], i) => [
    name,
    ns.toFixed(0),
    i === 0 ? '—' : `${(ns - base).toFixed(0)} ns`,
  ]),
);
publishResults(
  'middleware-in-process',
  'Middleware cost per request, in process (ns, mitata median)',
  `${table}

- versions: @tsgi/middleware-cors ${versionOf('middleware-cors')}, @tsgi/middleware-timing ${versionOf('middleware-timing')}, mitata 1.0.34
- command: \`pnpm --filter @tsgi/middleware-cors bench\` (after \`pnpm build\`)
- a 50k req/s server spends 20 µs per request, so 5 % of its throughput is 1 µs (1000 ns) per request`,
);
