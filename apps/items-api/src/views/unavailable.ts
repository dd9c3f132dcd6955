import { type Application, jsonResponse } from '@tsgi/spec';
import { DatabaseUnavailableError } from '../store/unavailable.js';

/**
 * Wraps `app` so that a {@link DatabaseUnavailableError} thrown before the
 * response started becomes a 503 `{"error": "database unavailable; try again
 * shortly"}` with `Retry-After: 1`, at once, instead of a 500. The driver's
 * message (hosts, ports) goes to `tsgi.errors` only. Any other error passes on.
 */
export function answerUnavailable(app: Application): Application {
  return async (environ, startResponse) => {
    try {
      return await app(environ, startResponse);
    } catch (error) {
      if (!(error instanceof DatabaseUnavailableError)) throw error;
      environ['tsgi.errors'].write(
        `${environ.REQUEST_METHOD} ${environ.PATH_INFO}: ${error.message}\n`,
      );
      return jsonResponse(
        startResponse,
        503,
        { error: 'database unavailable; try again shortly' },
        [['Retry-After', '1']],
      );
    }
  };
}
