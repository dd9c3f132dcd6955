import type { Application, Environ, HeaderList, ResponseBody, StartResponse } from '@tsgi/spec';
import { type CorsOptions, resolveCorsOptions } from './options.js';
import { originPolicy } from './origin-policy.js';
import { answerPreflight, preflightVary } from './preflight.js';
import { isSameOrigin, rejectOrigin } from './rejection.js';
import { corsTail, withCorsHeaders } from './response-headers.js';

/**
 * CORS for `app`, by the Fetch standard's CORS protocol.
 *
 * - A preflight (an `OPTIONS` with both `Origin` and
 *   `Access-Control-Request-Method`) is answered here; the app is not called.
 *   Any other request, a plain `OPTIONS` included, goes to the app.
 * - An allowed origin gets `Access-Control-Allow-Origin` (`*`, or the origin
 *   itself when credentials are on or the answer depends on the origin), and
 *   the credentials and expose headers when configured.
 * - A disallowed origin gets no CORS headers at all (no
 *   `Access-Control-Allow-Credentials` either) and still reaches the app,
 *   unless `rejectDisallowed` answers it with 403.
 * - `Vary: Origin` is merged into the app's `Vary` whenever the answer
 *   depends on the origin.
 *
 * Defaults follow the tutorial: any origin, methods `GET, POST, OPTIONS`.
 *
 * @example
 * import { cors } from '@tsgi/middleware-cors';
 * const app = cors(myApp, { origin: ['https://app.example'], credentials: true });
 */
export function cors(app: Application, options: CorsOptions = {}): Application {
  const resolved = resolveCorsOptions(options);
  const policy = originPolicy(options.origin ?? '*', resolved.credentials);
  const actualVary = resolved.anyOrigin ? undefined : 'Origin';
  const rejectVary = actualVary ?? '';
  const optionsVary = preflightVary(resolved).join(', ');
  const preflightStatus = resolved.preflightStatus === 204 ? '204 No Content' : '200 OK';

  // What an allowed actual response gets after Access-Control-Allow-Origin.
  const tailHeaders: HeaderList = [];
  if (resolved.credentials) tailHeaders.push(['Access-Control-Allow-Credentials', 'true']);
  if (resolved.exposedHeaders !== undefined) {
    tailHeaders.push(['Access-Control-Expose-Headers', resolved.exposedHeaders]);
  }
  const tail = corsTail(tailHeaders);

  const forward = (
    environ: Environ,
    startResponse: StartResponse,
    allowOrigin: string | undefined,
  ): ResponseBody | Promise<ResponseBody> => {
    if (allowOrigin === undefined && actualVary === undefined) return app(environ, startResponse);
    return app(environ, (status, headers, excInfo) =>
      startResponse(status, withCorsHeaders(headers, allowOrigin, tail, actualVary), excInfo),
    );
  };

  const answer = (
    environ: Environ,
    startResponse: StartResponse,
    origin: string,
    allowOrigin: string | undefined,
  ): ResponseBody | Promise<ResponseBody> => {
    if (allowOrigin === undefined && resolved.rejectDisallowed && !isSameOrigin(environ, origin)) {
      return rejectOrigin(startResponse, origin, rejectVary);
    }
    if (
      environ.REQUEST_METHOD === 'OPTIONS' &&
      environ.HTTP_ACCESS_CONTROL_REQUEST_METHOD !== undefined
    ) {
      return answerPreflight(
        environ,
        startResponse,
        resolved,
        allowOrigin,
        preflightStatus,
        allowOrigin === undefined ? rejectVary : optionsVary,
      );
    }
    return forward(environ, startResponse, allowOrigin);
  };

  return (environ, startResponse) => {
    const origin = environ.HTTP_ORIGIN;
    if (origin === undefined) {
      // Not a CORS request. With a fixed `*` the headers are the same for
      // everyone, so send them anyway (cache-friendly, as the tutorial does).
      return forward(environ, startResponse, resolved.anyOrigin ? '*' : undefined);
    }
    const allowOrigin = policy(origin, environ);
    if (typeof allowOrigin === 'object') {
      return allowOrigin.then((value) => answer(environ, startResponse, origin, value));
    }
    return answer(environ, startResponse, origin, allowOrigin);
  };
}
