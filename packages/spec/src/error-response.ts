import type { Application, ResponseBody, StartResponse } from './application.js';
import type { Environ } from './environ.js';
import { RequestBodyError } from './errors.js';
import { jsonResponse } from './json-response.js';

/**
 * The one mapping from an error an application threw (or its promise
 * rejected with) to the response, made inside the app stack so that the
 * middleware around it (CORS, timing, request ids) still adds its headers:
 * a `RequestBodyError` (`readJson`, `readBody`) answers its own status with
 * `{"error": message}`; anything else answers 500 with
 * `{"error": "Internal Server Error"}` and is reported, with its stack, on
 * `environ['tsgi.errors']`. The error is passed to `startResponse` as
 * `excInfo`, so a handler that had already started its response is answered
 * anew (SPEC sr.9), and one whose headers are out rethrows it (sr.10).
 *
 * @example
 * try {
 *   return await handler(environ, startResponse);
 * } catch (error) {
 *   return errorResponse(environ, startResponse, error);
 * }
 */
export function errorResponse(
  environ: Environ,
  startResponse: StartResponse,
  error: unknown,
): ResponseBody {
  const start: StartResponse = (status, headers) => startResponse(status, headers, error);
  if (error instanceof RequestBodyError) {
    return jsonResponse(start, error.status, { error: error.message });
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  environ['tsgi.errors'].write(
    `${environ.REQUEST_METHOD} ${environ.SCRIPT_NAME}${environ.PATH_INFO}: ${detail}\n`,
  );
  return jsonResponse(start, 500, { error: 'Internal Server Error' });
}

/**
 * Wraps `app` so that an error it throws, or its promise rejects with, before
 * the response starts becomes a response through {@link errorResponse}. An
 * error while the body is being sent is left to the server (it can only cut
 * the connection then). The router does this for every route by itself.
 *
 * @example
 * const app = cors(timing(catchErrors(myApp)), { origin: '*' });
 */
export function catchErrors(app: Application): Application {
  return (environ, startResponse) => {
    let result: ReturnType<Application>;
    try {
      result = app(environ, startResponse);
    } catch (error) {
      return errorResponse(environ, startResponse, error);
    }
    if (result instanceof Promise) {
      return result.catch((error: unknown) => errorResponse(environ, startResponse, error));
    }
    return result;
  };
}
