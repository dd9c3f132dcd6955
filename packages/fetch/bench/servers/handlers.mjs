// The applications the contenders of packages/fetch/bench serve, so each pair
// answers with the same code and differs only in what runs it.
import { jsonResponse } from '@tsgi/spec';
import { Hono } from 'hono';

/** The plain TSGI app: `{"hello":"world"}` with Content-Type and Content-Length, by jsonResponse. */
export const helloTsgi = (_environ, startResponse) =>
  jsonResponse(startResponse, 200, { hello: 'world' });

/**
 * GET /: a Hono app answering `{"hello":"world"}` with `c.json`, the app of
 * @hono/node-server's own benchmark and the body of @tsgi/node's servers table.
 */
export function helloHono() {
  const app = new Hono();
  app.get('/', (c) => c.json({ hello: 'world' }));
  return app.fetch;
}

/**
 * POST /: the JSON echo of srvx's published Node benchmark. It parses the
 * request body with `request.json()` and answers it re-serialised, with
 * `Content-Type: application/json;charset=UTF-8` and the request's `X-Test`
 * header. `ResponseClass` is the global `Response` unless a server brings a
 * faster one (srvx's FastResponse).
 */
export function echoJson(ResponseClass = Response) {
  return async (request) => {
    const body = await request.json();
    return new ResponseClass(JSON.stringify(body), {
      headers: {
        'content-type': 'application/json;charset=UTF-8',
        'x-test': request.headers.get('x-test') ?? '',
      },
    });
  };
}

/** The handler `BENCH_HANDLER` names: `hello-hono` (default) or `echo-json`. */
export function chosenHandler(ResponseClass = Response) {
  const name = process.env.BENCH_HANDLER ?? 'hello-hono';
  if (name === 'hello-hono') return helloHono();
  if (name === 'echo-json') return echoJson(ResponseClass);
  throw new Error(`BENCH_HANDLER must be hello-hono or echo-json, got ${name}`);
}

/** Prints the line the harness waits for: `{"port": N}`. */
export function announce(port) {
  console.log(JSON.stringify({ port }));
}
