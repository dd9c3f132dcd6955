import type { Middleware, ResponseBody, StartResponse, Write } from './application.js';
import { isThenable } from './validate/grammar.js';

const discard: Write = async () => {};

const finished = { done: true, value: undefined } as const;

/** A body that runs `body` to its end (so lazy `startResponse` calls happen) and yields nothing. */
function drained(body: ResponseBody): ResponseBody {
  const close = body.close;
  const closer = typeof close === 'function' ? { close: () => close.call(body) } : {};
  if (Symbol.asyncIterator in body) {
    return {
      [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
        const it = body[Symbol.asyncIterator]();
        return {
          async next() {
            while (!(await it.next()).done) {
              // dropped: a HEAD response has no body bytes
            }
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
          while (!it.next().done) {
            // dropped: a HEAD response has no body bytes
          }
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
 * `HEAD` request it runs the application as for `GET`, keeps its status and
 * headers (`Content-Length` included), and drops every body byte it yields
 * or writes (SPEC.md rule body.3). The inner body is still iterated, so a
 * `startResponse` called lazily from it still happens, and its `close()` is
 * called once through the returned body's `close()`. Other methods pass
 * through untouched.
 *
 * @example
 * serve(validate(head(app))); // HEAD /items answers the GET headers, no body
 */
export const head: Middleware = (app) => (environ, startResponse) => {
  if (environ.REQUEST_METHOD !== 'HEAD') return app(environ, startResponse);
  const start: StartResponse = (status, headers, excInfo) => {
    startResponse(status, headers, excInfo);
    return discard;
  };
  const result = app(environ, start);
  return isThenable(result) ? Promise.resolve(result).then(drained) : drained(result);
};
