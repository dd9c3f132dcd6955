import type { Application, Environ, ErrorStream, ResponseBody } from '@tsgi/spec';
import type { AccessLogger } from '../log/access-log.js';
import { Exchange } from './exchange.js';
import type { ResponseSink } from './sink.js';
import type { StatusCache } from './status.js';

/** Per-server settings the runner reads on every request. */
export interface RunnerContext {
  /** Where application errors are reported (the server's `tsgi.errors`). */
  readonly errors: ErrorStream;
  /** Put error details in 500 bodies. */
  readonly debug: boolean;
  /** The access logger, when the log is on. */
  readonly log: AccessLogger | undefined;
  /** Set to true while the server shuts down: responses then close their connection. */
  closing: boolean;
  /** Milliseconds a response may wait for `'drain'` before the connection is destroyed; 0 never. */
  readonly idleTimeout: number;
  /**
   * True when the sink itself refuses invalid header names and values (and
   * reason phrases) by throwing from `writeHead`, as `ServerResponse` does:
   * the runner then skips its own identical checks. Leave it unset for a sink
   * that writes headers raw.
   */
  sinkChecksHeaders?: boolean;
  /**
   * True when the sink's `end` also takes `(string, 'latin1')` and writes that
   * string's chars as bytes, as `ServerResponse` does: small one-chunk bodies
   * then go out glued to the headers in one string.
   */
  sinkTakesLatin1?: boolean;
  /**
   * This server's parsed status lines: made by the runner at the first
   * response and kept here, so each server has its own. Leave it unset.
   */
  statuses?: StatusCache;
}

/**
 * Runs `app` for one request and writes its response to `sink`: the transport-
 * independent core shared by the HTTP server and the uwsgi listener.
 *
 * It calls the app, sends the headers with the first non-empty chunk, streams
 * the body with backpressure, polices `Content-Length`, answers errors with a
 * 500 (or the `RequestBodyError`'s status) when the headers are not out yet and
 * destroys the connection when they are, and calls the body's `close()` exactly
 * once whatever happens. Sync array bodies are written in one go, without promises.
 *
 * Low-level: most code wants `createHandler` or `serve`.
 *
 * @example
 * runApplication(app, environ, res, { errors, debug: false, log: undefined, closing: false, idleTimeout: 0 });
 */
export function runApplication(
  app: Application,
  environ: Environ,
  sink: ResponseSink,
  context: RunnerContext,
): void {
  const exchange = new Exchange(environ, sink, context);
  let result: ResponseBody | Promise<ResponseBody>;
  try {
    result = app(environ, exchange.startResponse);
  } catch (error) {
    exchange.fail(error);
    return;
  }
  if (Array.isArray(result)) {
    // The common sync case, checked first: an array has no `then` to look up.
    exchange.run(result);
  } else if (result !== null && typeof (result as Promise<ResponseBody>).then === 'function') {
    // No 'close' listener while the app works: run() sees a connection that died
    // meanwhile (sink.destroyed), and streaming bodies start watching there.
    (result as Promise<ResponseBody>).then(
      (body) => exchange.run(body),
      (error) => exchange.fail(error),
    );
  } else {
    exchange.run(result as ResponseBody);
  }
}
