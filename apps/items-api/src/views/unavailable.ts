import {
  type Application,
  type Environ,
  jsonResponse,
  type ResponseBody,
  type StartResponse,
} from '@tsgi/spec';
import { DatabaseUnavailableError } from '../store/unavailable.js';

/** Seconds a client is asked to wait after a 507: freeing disk space takes an operator. */
export const FULL_RETRY_AFTER_S = 30;

/**
 * Wraps `app` so that a {@link DatabaseUnavailableError} thrown before the
 * response started is answered at once, instead of a 500: a 503
 * `{"error": "database unavailable; try again shortly"}` with `Retry-After: 1`,
 * or, for a `DatabaseFullError` (a full disk), a 507
 * `{"error": "database storage is full; nothing was stored, try again later"}`
 * with `Retry-After: 30`. Nothing the request was to write is stored in either
 * case. The driver's message (the real cause; hosts, ports, paths) goes to
 * `tsgi.errors` only. Any other error passes on.
 */
export function answerUnavailable(app: Application): Application {
  const answer = (environ: Environ, startResponse: StartResponse, error: unknown): ResponseBody => {
    if (!(error instanceof DatabaseUnavailableError)) throw error;
    environ['tsgi.errors'].write(
      `${environ.REQUEST_METHOD} ${environ.PATH_INFO}: ${error.message}\n`,
    );
    if (error.status === 507) {
      return jsonResponse(
        startResponse,
        507,
        { error: 'database storage is full; nothing was stored, try again later' },
        [['Retry-After', String(FULL_RETRY_AFTER_S)]],
      );
    }
    return jsonResponse(startResponse, 503, { error: 'database unavailable; try again shortly' }, [
      ['Retry-After', '1'],
    ]);
  };
  // Not an async function: a synchronous answer goes back as it is, with no
  // promise per request; only an asynchronous one gets a rejection handler.
  return (environ, startResponse) => {
    let result: ResponseBody | Promise<ResponseBody>;
    try {
      result = app(environ, startResponse);
    } catch (error) {
      return answer(environ, startResponse, error);
    }
    if (result instanceof Promise) {
      return result.then(undefined, (error: unknown) => answer(environ, startResponse, error));
    }
    return result;
  };
}
