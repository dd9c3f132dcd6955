import type { Middleware, ResponseBody, StartResponse, Write } from './application.js';
import { isThenable } from './validate/thenable.js';

const discard: Write = async () => {};

const finished = { done: true, value: undefined } as const;

/**
 * A body with no bytes in place of `body`: it reads `body` only while the
 * application has not called `startResponse` yet (a lazy call from inside the
 * body, SPEC.md sr.11), then stops it, so a long or endless body (an event
 * stream) is never drained. Its `close()` is `body`'s.
 */
function withoutBytes(body: ResponseBody, started: () => boolean): ResponseBody {
  const close = body.close;
  const closer = typeof close === 'function' ? { close: () => close.call(body) } : {};
  if (started()) return Object.assign([] as Uint8Array[], closer);
  if (Symbol.asyncIterator in body) {
    return {
      [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
        const it = body[Symbol.asyncIterator]();
        return {
          async next() {
            while (!started()) {
              // dropped: a HEAD response has no body bytes
              if ((await it.next()).done) return finished;
            }
            await it.return?.();
            return finished;
          },
          async return() {
            await it.return?.();
            return finished;
          },
        };
      },
      ...closer,
    };
  }
  return {
    [Symbol.iterator](): Iterator<Uint8Array> {
      const it = (body as Iterable<Uint8Array>)[Symbol.iterator]();
      return {
        next() {
          while (!started()) {
            // dropped: a HEAD response has no body bytes
            if (it.next().done) return finished;
          }
          it.return?.();
          return finished;
        },
        return() {
          it.return?.();
          return finished;
        },
      };
    },
    ...closer,
  };
}

/**
 * Makes any application answer `HEAD` correctly, like `Rack::Head`: for a
 * `HEAD` request it runs the application (which sees `REQUEST_METHOD`
 * `HEAD` and may answer as for `GET`), keeps its status and headers
 * (`Content-Length` included), and sends no body bytes (SPEC.md rule body.3):
 * `write()` discards, and the body is read only as far as a `startResponse`
 * called lazily from inside it, then stopped, so an endless stream is never
 * drained. Its `close()` is called once through the returned body's
 * `close()`. Other methods pass through untouched.
 *
 * @example
 * serve(validate(head(app))); // HEAD /items answers the GET headers, no body
 */
export const head: Middleware = (app) => (environ, startResponse) => {
  if (environ.REQUEST_METHOD !== 'HEAD') return app(environ, startResponse);
  let started = false;
  const start: StartResponse = (status, headers, excInfo) => {
    startResponse(status, headers, excInfo);
    started = true;
    return discard;
  };
  const hasStarted = () => started;
  const result = app(environ, start);
  return isThenable(result)
    ? Promise.resolve(result).then((body) => withoutBytes(body, hasStarted))
    : withoutBytes(result, hasStarted);
};
