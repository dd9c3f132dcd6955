import { performance } from 'node:perf_hooks';
import { type Application, onClose, type ResponseBody, type StartResponse } from '@tsgi/spec';
import { resolveTimingOptions, type TimingOptions } from './options.js';
import { RequestTimer } from './request-timer.js';
import { withTimingHeaders } from './response-headers.js';
import { statusCode } from './status-code.js';

/**
 * Wraps the app's body with `onClose` so the log line is written once the
 * server closes it (after the last chunk, or when the client went away). An
 * iterable closed before its end counts as aborted; an array is sent whole;
 * a non-body (an app bug) is passed on untouched and logged at once.
 */
function loggedBody(body: ResponseBody, timer: RequestTimer): ResponseBody {
  const streamed =
    !Array.isArray(body) &&
    body !== null &&
    typeof body === 'object' &&
    (typeof (body as Iterable<Uint8Array>)[Symbol.iterator] === 'function' ||
      typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function');
  return onClose(body, ({ completed, error }) => timer.finish(streamed && !completed, error));
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
  const logging = resolved.log !== undefined;

  return (environ, startResponse) => {
    const t0 = performance.now();
    const timer = new RequestTimer(environ, resolved, t0);
    const timedStartResponse: StartResponse = (status, headers, excInfo) => {
      const elapsed = performance.now() - t0;
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
    if (!logging) return result;
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
