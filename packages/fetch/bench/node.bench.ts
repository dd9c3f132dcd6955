/**
 * Fetch handlers inside TSGI, on Node: each held head to head
 * (bench/head-to-head.ts) with the server its users would otherwise run it on.
 *
 * - GET: a Hono app (`c.json({ hello: 'world' })`, the app of
 *   @hono/node-server's own benchmark) mounted with `fromFetchHandler` and
 *   served by @tsgi/node, against the same app on @hono/node-server with
 *   `overrideGlobalObjects: false` (`fetch-hono-get-h2h`). Goal: at least 1.0×
 *   its requests per CPU-second. For reference, the same answer written as a
 *   plain TSGI app on @tsgi/node (what the Hono app and the adapter cost), and
 *   @hono/node-server with its default, globals overridden.
 * - POST: srvx's published POST-JSON handler (`await request.json()`,
 *   answered re-serialised with the request's `X-Test`), the same function on
 *   each server: `fromFetchHandler` on @tsgi/node, srvx with FastResponse,
 *   @hono/node-server (globals kept and overridden) and raw node:http doing
 *   the same work by hand, each against srvx answering with the global
 *   Response (`fetch-post-json-h2h`). Goal: more requests per CPU-second than
 *   that srvx.
 *
 * Run `pnpm --filter @tsgi/fetch bench` after `pnpm build`;
 * BENCH_H2H_DURATION / BENCH_H2H_ROUNDS / BENCH_CONNECTIONS adjust it.
 */
import { join } from 'node:path';
import { runHeadToHead } from '../../../bench/head-to-head.ts';
import { goalLine, SERVERS, server, versionOf } from './contenders.ts';

const hono = versionOf('hono');
const honoServer = versionOf('@hono/node-server');
const srvx = versionOf('srvx');
const tsgi = `${versionOf('@tsgi/fetch')} + ${versionOf('@tsgi/node')} + ${versionOf('@tsgi/spec')}`;

const HELLO = { BENCH_HANDLER: 'hello-hono' };
const ECHO = { BENCH_HANDLER: 'echo-json' };
const ON_TSGI = 'fromFetchHandler on @tsgi/node';
const GLOBALS = '@hono/node-server, globals overridden (its default)';

await runHeadToHead({
  title:
    'A Hono app on @tsgi/node (fromFetchHandler) head to head with @hono/node-server (GET, JSON)',
  results: 'fetch-hono-get-h2h',
  contenders: [
    server('@hono/node-server', 'hono-node-server.mjs', `${hono} + ${honoServer}`, HELLO),
    server(ON_TSGI, 'tsgi-node.mjs', `${hono} + ${tsgi}`, HELLO),
    server(
      '@tsgi/node, plain TSGI app',
      'tsgi-plain.mjs',
      `${versionOf('@tsgi/node')} + ${versionOf('@tsgi/spec')}`,
    ),
    server(GLOBALS, 'hono-node-server.mjs', 'the same, globals overridden', {
      ...HELLO,
      BENCH_HONO_GLOBALS: '1',
    }),
  ],
  notes: [
    "- both serve the same Hono app, `app.get('/', (c) => c.json({ hello: 'world' }))`, in one process; @hono/node-server with `overrideGlobalObjects: false`, since `fromFetchHandler` patches no global either",
    '- "plain TSGI app": the same bytes from a TSGI app (`jsonResponse`) without Hono, for reference',
    '- "globals overridden": @hono/node-server\'s default, its own `Request` and `Response` in place of the global ones, so `c.json` builds its light `Response`, for reference',
  ],
  conclusions: (rows) => [
    'From the medians above; the goal: at least 1.0× the requests per CPU-second of @hono/node-server.',
    '',
    goalLine(
      rows.find((row) => row.name === ON_TSGI),
      '@hono/node-server',
      1,
    ),
  ],
});

await runHeadToHead({
  title: "srvx's POST-JSON handler on @tsgi/node (fromFetchHandler) head to head with srvx",
  results: 'fetch-post-json-h2h',
  wrkScript: join(SERVERS, 'echo-json.lua'),
  contenders: [
    server('srvx', 'srvx.mjs', srvx, ECHO),
    server(ON_TSGI, 'tsgi-node.mjs', tsgi, ECHO),
    server('srvx with FastResponse', 'srvx.mjs', `${srvx} FastResponse`, {
      ...ECHO,
      BENCH_FAST_RESPONSE: '1',
    }),
    server('@hono/node-server', 'hono-node-server.mjs', honoServer, ECHO),
    server(GLOBALS, 'hono-node-server.mjs', 'the same, globals overridden', {
      ...ECHO,
      BENCH_HONO_GLOBALS: '1',
    }),
    server('node:http', 'node-http-echo.mjs', `node:http ${process.version}`),
  ],
  notes: [
    '- every request: `POST /` with `{"message":"Hello!"}`, `Content-Type: application/json` and `X-Test: 123` (servers/echo-json.lua); the handler answers `await request.json()` re-serialised with `Content-Type: application/json;charset=UTF-8` and the request\'s `X-Test`',
    '- srvx answers with the global Response, as a handler written for any runtime does; "with FastResponse" the handler answers with srvx\'s own Response class; @hono/node-server has `overrideGlobalObjects: false` (and its default, globals overridden, on the row that says so); node:http does the same work by hand',
  ],
  conclusions: (rows) => [
    'From the medians above; the goal: more requests per CPU-second than srvx without FastResponse.',
    '',
    goalLine(
      rows.find((row) => row.name === ON_TSGI),
      'srvx',
      1,
      true,
    ),
  ],
});
