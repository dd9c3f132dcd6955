import { performance } from 'node:perf_hooks';
import { type Application, onClose, type ResponseBody, type StartResponse } from '@tsgi/spec';
import { resolveTimingOptions, type TimingOptions } from './options.js';
import { RequestTimer } from './request-timer.js';
import { withTimingHeaders } from './response-headers.js';
import { statusCode } from './status-code.js';

type Closable = { close?(): void | Promise<void> };

/**
 * Wraps the app's body so the log line is written once the server closes it
 * (after the last chunk, or when the client went away). An array without a
 * `close()` of its own (the common `[bytes]`) is copied and the copy gets a
 * `close()` that only logs; any other body goes through `onClose`. An
 * iterable closed before its end counts as aborted; an array is sent whole;
 * a non-body (an app bug) is passed on untouched and logged at once.
 */
function loggedBody(body: ResponseBody, timer: RequestTimer): ResponseBody {
  if (Array.isArray(body) && typeof (body as Closable).close !== 'function') {
    return closingCopy(body, timer);
  }
  const streamed =
    !Array.isArray(body) &&
    body !== null &&
    typeof body === 'object' &&
    (typeof (body as Iterable<Uint8Array>)[Symbol.iterator] === 'function' ||
      typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function');
  return onClose(body, ({ completed, error }) => timer.finish(streamed && !completed, error));
}

/**
 * A copy of an array body (the app's may be a shared constant) whose
 * `close()` writes the log line: what `onClose` does for an array that has
 * no `close()`, without its per-request bookkeeping. The line is written once
 * however often `close()` is called.
 */
function closingCopy(body: readonly Uint8Array[], timer: RequestTimer): ResponseBody {
  const copy = body.slice() as Uint8Array[] & Closable;
  copy.close = () => {
    timer.finish(false);
  };
  return copy;
}

/**
 * Times every request of `app`.
 *
 * - Adds `X-Process-Time: <ms>` (name and digits configurable): milliseconds,
 *   on a monotonic clock, from the call until the app calls `startResponse`.
 * - With `serverTiming`, adds `Server-Timing: app;dur=<ms>` as well.
 * - Writes one log line per request once the body is finished and closed, so
 *   streaming time counts: `[HH:MM:SS] GET /health → 0.1ms` or JSON.
 *
 * The body is never buffered or delayed, its `close()` is called exactly once,
 * and a header the app already set is left alone.
 *
 * @example
 * import { timing } from '@tsgi/middleware-timing';
 * const app = timing(myApp, { serverTiming: true });
 */
export function timing(app: Application, options?: TimingOptions): Application {
  const resolved = resolveTimingOptions(options);
  if (resolved.logger === undefined && resolved.lines === undefined) {
    // No log line: only the headers, and the body goes back untouched.
    return (environ, startResponse) => {
      const t0 = performance.now();
      return app(environ, (status, headers, excInfo) =>
        startResponse(
          status,
          withTimingHeaders(headers, performance.now() - t0, resolved),
          excInfo,
        ),
      );
    };
  }

  return (environ, startResponse) => {
    const timer = new RequestTimer(environ, resolved, performance.now());
    const timedStartResponse: StartResponse = (status, headers, excInfo) => {
      const elapsed = performance.now() - timer.t0;
      timer.processMs = elapsed;
      timer.status = statusCode(status);
      return startResponse(status, withTimingHeaders(headers, elapsed, resolved), excInfo);
    };

    let result: ResponseBody | Promise<ResponseBody>;
    try {
      result = app(environ, timedStartResponse);
    } catch (error) {
      timer.finish(false, error);
      throw error;
    }
    if (Array.isArray(result)) {
      if (typeof (result as Closable).close === 'function') return loggedBody(result, timer);
      // The common case, written out here: its close() shares this call's closure context.
      const copy = result.slice() as Uint8Array[] & Closable;
      copy.close = () => {
        timer.finish(false);
      };
      return copy;
    }
    if (result != null && typeof (result as Promise<ResponseBody>).then === 'function') {
      return (result as Promise<ResponseBody>).then(
        (body) => loggedBody(body, timer),
        (error: unknown) => {
          timer.finish(false, error);
          throw error;
        },
      );
    }
    return loggedBody(result as ResponseBody, timer);
  };
}
