import {
  type Application,
  type Environ,
  type HeaderList,
  HOP_BY_HOP,
  type ResponseBody,
  type StartResponse,
  statusText,
} from '@tsgi/spec';
import { bytesOf } from './internal-body.js';
import { LazyRequest } from './lazy-request.js';
import { readAhead } from './response-body.js';

/**
 * A WHATWG fetch handler, such as `hono.fetch`: what it is given besides the
 * `Request` comes from the `env` option (the environ by default).
 */
export type FetchHandlerFunction = (
  request: Request,
  // biome-ignore lint/suspicious/noExplicitAny: a handler types its env as it likes (Hono: its Bindings).
  env?: any,
) => Response | Promise<Response>;

/** Options of {@link fromFetchHandler}. */
export interface FromFetchHandlerOptions {
  /**
   * Give the handler `PATH_INFO` alone, so that a handler mounted at `/hono`
   * (by `@tsgi/router` or a `scriptName`) sees `/users`, not `/hono/users`.
   * Default `false`: the URL is the one the client asked for.
   */
  readonly stripScriptName?: boolean;
  /**
   * The handler's second argument (Hono's `c.env`). Default: the environ,
   * so a handler can read `tsgi.route`, `tsgi.request_id` or `REMOTE_ADDR`.
   */
  readonly env?: (environ: Environ) => unknown;
}

/**
 * Runs a fetch handler as a TSGI application: `fromFetchHandler(hono.fetch)`
 * mounts a Hono app (or any `(request) => Response`) under `@tsgi/router`,
 * `@tsgi/node` and TSGI middleware. The `Request` is built lazily and no
 * global is touched; its `signal` aborts only when the client goes away.
 * Each `Set-Cookie` becomes its own header. A string or byte body is sent as
 * one chunk; a stream body is read one chunk per server pull, and cancelled
 * when the server closes the body early.
 *
 * @example
 * import { Hono } from 'hono';
 * const hono = new Hono().get('/hello', (c) => c.json({ hello: 'world' }));
 * const app = fromFetchHandler(hono.fetch, { stripScriptName: true });
 */
export function fromFetchHandler(
  handler: FetchHandlerFunction,
  options: FromFetchHandlerOptions = {},
): Application {
  if (typeof handler !== 'function') {
    throw new TypeError(
      `fromFetchHandler: handler must be a function (request) => Response, got ${typeof handler}`,
    );
  }
  const strip = options.stripScriptName ?? false;
  const env = options.env;
  return (environ, startResponse) => {
    const request = new LazyRequest(environ, strip);
    const result = handler(
      request as unknown as Request,
      env === undefined ? environ : env(environ),
    );
    if (isResponse(result)) return answer(result, request, startResponse);
    return Promise.resolve(result).then((response) => answer(response, request, startResponse));
  };
}

/** A `Response`, or one from another realm or copy of undici: duck-typed. */
function isResponse(value: unknown): value is Response {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Response).status === 'number' &&
    typeof (value as Response).headers?.get === 'function'
  );
}

/** Starts the TSGI response from a `Response` and returns its body. */
function answer(
  response: Response,
  request: LazyRequest,
  startResponse: StartResponse,
): ResponseBody | Promise<ResponseBody> {
  if (!isResponse(response)) {
    throw new TypeError(
      `the fetch handler returned ${response === null ? 'null' : typeof response}, not a Response`,
    );
  }
  const code = response.status;
  if (code === 0)
    throw new TypeError('the fetch handler returned Response.error(), a network error');
  const list: HeaderList = [];
  for (const [name, value] of response.headers) {
    // Set-Cookie comes from getSetCookie(), one field each; hop-by-hop fields are the server's [sr.6].
    if (name === 'set-cookie' || HOP_BY_HOP.has(name)) continue;
    list.push([name, value]);
  }
  if (response.headers.has('set-cookie')) {
    for (const cookie of response.headers.getSetCookie()) list.push(['set-cookie', cookie]);
  }
  startResponse(`${code} ${response.statusText || statusText(code)}`, list);
  const stream = response.body;
  if (stream === null) return [];
  const bytes = bytesOf(response);
  if (bytes !== undefined) return [bytes];
  return readAhead(stream, request);
}
