import {
  type Application,
  compileTrust,
  DEFAULT_BODY_LIMIT,
  type Environ,
  type EnvironContext,
  type ErrorStream,
  isProblem,
  isScriptName,
  majorVersion,
  type ResponseBody,
} from '@tsgi/spec';
import { consoleErrors } from './console-errors.js';
import { Exchange } from './exchange.js';
import { type Peer, type PeerLookup, runtimePeer, UNKNOWN_PEER } from './peer.js';
import { type RequestContext, requestEnviron } from './request-environ.js';
import { plainResponse } from './response-head.js';
import { BUN_WEBSOCKET, type BunWebSocketHandlers } from './websocket/bun.js';
import { switchable } from './websocket/runtime.js';
import { Upgrade } from './websocket/upgrade.js';

/**
 * A WHATWG fetch handler, as Bun, Deno and worker runtimes call it, with the
 * `websocket` handlers `Bun.serve` needs to serve `tsgi.websocket`. After a
 * WebSocket upgrade on Bun it resolves to `undefined`, as Bun asks of a
 * handler that called `server.upgrade`.
 */
export interface FetchHandler {
  (request: Request, info?: unknown): Promise<Response>;
  /**
   * Bun's `websocket` handlers: `Bun.serve({ fetch: handler, websocket: handler.websocket })`.
   * Reading it is what turns `tsgi.websocket` on under Bun.
   */
  readonly websocket: BunWebSocketHandlers;
}

/** Options of {@link toFetchHandler}. */
export interface ToFetchHandlerOptions {
  /** `SCRIPT_NAME`: where the application is mounted, `""` or `/…` without a trailing `/`. Default `""`. */
  readonly scriptName?: string;
  /**
   * Finds `REMOTE_ADDR` and `REMOTE_PORT`. Default: Bun's `server.requestIP(request)`,
   * else Deno's `info.remoteAddr`, else `""` (a worker runtime: read its own header,
   * such as `CF-Connecting-IP`, here).
   */
  readonly peer?: PeerLookup;
  /** Peers whose `Forwarded` and `X-Forwarded-*` headers are believed, as `@tsgi/node`'s `trustProxy`. Default none. */
  readonly trustProxy?: boolean | string | readonly string[];
  /** Most request body bytes `tsgi.input` gives before a 413. Default 1 MiB, as `@tsgi/node`. */
  readonly bodyLimit?: number;
  /**
   * `SERVER_PROTOCOL`, which a `Request` does not tell. Default `"HTTP/1.1"`. With
   * `"HTTP/2.0"` (or later) the environ follows [env.24]: a body of unknown length has
   * no `Transfer-Encoding`, and connection-specific fields (`Connection`, `Upgrade`, …)
   * are dropped; there is no `tsgi.websocket`.
   */
  readonly protocol?: string;
  /** `tsgi.multiprocess`. Default `false`. */
  readonly multiprocess?: boolean;
  /** `tsgi.errors`. Default: each line to `console.error`. */
  readonly errors?: ErrorStream;
}

/**
 * Runs a TSGI application as a fetch handler: `(request, info?) => Promise<Response>`,
 * for `Bun.serve`, `Deno.serve`, worker runtimes and anything else that speaks fetch.
 * The environ is built as every TSGI server builds it; `tsgi.input` reads
 * `request.body` only when the application does. An array body becomes one byte
 * body with its `Content-Length`; any other body a stream that asks the body for
 * one chunk per pull, and whose cancellation (the client went away) closes it.
 * Each `Set-Cookie` stays its own field; a `HEAD` response has no body. Bad
 * options throw here, at setup.
 *
 * A valid WebSocket upgrade gets `environ['tsgi.websocket']` where the
 * runtime can switch: on Deno (`Deno.upgradeWebSocket`), and on Bun when
 * `Bun.serve` was also given `handler.websocket`.
 *
 * @example
 * Bun.serve({ fetch: toFetchHandler(app) });
 * Deno.serve(toFetchHandler(app));
 * export default { fetch: toFetchHandler(app) };
 * const handler = toFetchHandler(app);
 * Bun.serve({ fetch: handler, websocket: handler.websocket }); // with tsgi.websocket
 */
export function toFetchHandler(
  app: Application,
  options: ToFetchHandlerOptions = {},
): FetchHandler {
  if (typeof app !== 'function') {
    throw new TypeError(
      `toFetchHandler: app must be a TSGI application (a function), got ${typeof app}`,
    );
  }
  const scriptName = options.scriptName ?? '';
  if (typeof scriptName !== 'string' || !isScriptName(scriptName)) {
    throw new TypeError(
      `toFetchHandler: scriptName must be "" or a path like "/api" without a trailing "/", got ${JSON.stringify(scriptName)}`,
    );
  }
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  if (!(Number.isInteger(bodyLimit) && bodyLimit >= 0)) {
    throw new TypeError(
      `toFetchHandler: bodyLimit must be a whole number of bytes, got ${bodyLimit}`,
    );
  }
  const errors = options.errors ?? consoleErrors();
  const environContext: EnvironContext = {
    options: {
      scriptName,
      // The runtime in front already bounds the request line and the header count.
      maxUrlLength: Number.POSITIVE_INFINITY,
      maxHeadersCount: Number.POSITIVE_INFINITY,
      multiprocess: options.multiprocess ?? false,
    },
    errors,
    trust: compileTrust(options.trustProxy, 'toFetchHandler: trustProxy'),
  };
  const protocol = options.protocol ?? 'HTTP/1.1';
  const context: RequestContext = {
    environ: environContext,
    protocol,
    http2: majorVersion(protocol) >= 2,
    bodyLimit,
  };
  const lookup = options.peer ?? runtimePeer;
  // Bun's server.upgrade throws unless Bun.serve has websocket handlers: offer
  // tsgi.websocket on Bun only once this handler's were taken for it.
  let bunWired = false;

  const handler = (request: Request, info?: unknown): Promise<Response> => {
    let environ: Environ;
    try {
      const peer: Peer = lookup(request, info) ?? UNKNOWN_PEER;
      const built = requestEnviron(request, peer, context);
      if (isProblem(built)) {
        const noBody = request.method === 'HEAD';
        return Promise.resolve(plainResponse(built.status, `${built.message}\n`, noBody));
      }
      environ = built;
    } catch (error) {
      return Promise.reject(error);
    }
    const exchange = new Exchange(environ, request.method === 'HEAD', errors);
    const upgradable = switchable(request, info, protocol, bunWired);
    if (upgradable !== undefined) {
      const upgrade = new Upgrade(upgradable, exchange, errors);
      environ['tsgi.websocket'] = upgrade;
      return upgrade.run(app, environ) as Promise<Response>;
    }
    try {
      const body = app(environ, exchange.startResponse);
      if (body !== null && typeof (body as PromiseLike<unknown>).then === 'function') {
        (body as PromiseLike<ResponseBody>).then(
          (resolved) => exchange.adopt(resolved),
          (error: unknown) => exchange.fail(error),
        );
      } else {
        exchange.adopt(body as ResponseBody);
      }
    } catch (error) {
      exchange.fail(error);
    }
    return exchange.response();
  };
  return Object.defineProperty(handler, 'websocket', {
    get: () => {
      bunWired = true;
      return BUN_WEBSOCKET;
    },
    enumerable: true,
  }) as FetchHandler;
}
