import type { Application, Environ, ResponseBody } from '@tsgi/spec';
import { pumpBody } from './body-pump.js';
import { Exchange } from './exchange.js';
import type { RunnerContext } from './runner-context.js';
import type { ResponseSink } from './sink.js';

export type { RunnerContext } from './runner-context.js';

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
  runExchange(app, new Exchange(environ, sink, context));
}

/** `runApplication` on an exchange the caller made (the WebSocket upgrade binds it first). */
export function runExchange(app: Application, exchange: Exchange): void {
  const environ = exchange.environ;
  let result: ResponseBody | Promise<ResponseBody>;
  try {
    result = app(environ, exchange.startResponse);
  } catch (error) {
    exchange.fail(error);
    return;
  }
  if (Array.isArray(result)) {
    // The common sync case, checked first: an array has no `then` to look up.
    runBody(exchange, result);
  } else if (result !== null && typeof (result as Promise<ResponseBody>).then === 'function') {
    // No 'close' listener while the app works: run() sees a connection that died
    // meanwhile (sink.destroyed), and streaming bodies start watching there.
    (result as Promise<ResponseBody>).then(
      (body) => runBody(exchange, body),
      (error) => exchange.fail(error),
    );
  } else {
    runBody(exchange, result as ResponseBody);
  }
}

/** Takes the app's body and sends it, unless the exchange is over already. */
function runBody(exchange: Exchange, body: ResponseBody): void {
  if (!exchange.adopt(body)) return;
  try {
    pumpBody(exchange, body);
  } catch (error) {
    exchange.fail(error);
  }
}
