import type { Application, Environ } from '@tsgi/spec';
import {
  type RequestIdOptions,
  type ResolvedRequestIdOptions,
  resolveRequestIdOptions,
} from './options.js';
import { isValidRequestId } from './request-id-pattern.js';
import { withRequestIdHeader } from './response-headers.js';

/** The id of this request: one already in the environ, a trusted incoming one, or a new one. */
function chooseId(environ: Environ, options: ResolvedRequestIdOptions): string {
  const existing = environ['tsgi.request_id'];
  if (typeof existing === 'string' && existing !== '') return existing;
  const incoming = environ[options.environKey];
  if (
    options.trusted !== undefined &&
    isValidRequestId(incoming) &&
    options.trusted(environ.REMOTE_ADDR)
  ) {
    return incoming;
  }
  const made = options.generate();
  if (!isValidRequestId(made)) {
    throw new TypeError(
      `requestId: "generate" returned ${JSON.stringify(made)}, not 1 to 128 characters from A-Z a-z 0-9 . _ : -`,
    );
  }
  return made;
}

/**
 * Gives every request of `app` an id, for logs and tracing.
 *
 * - Accepts the request's `X-Request-Id` (header name configurable) when it is
 *   valid (1–128 of `A–Z a–z 0–9 . _ : -`) and `REMOTE_ADDR` is a trusted
 *   proxy (`trustProxy`, off by default); otherwise makes a new one with
 *   `crypto.randomUUID()`. An id already in the environ (set by the server or
 *   an outer middleware) is kept.
 * - Puts it in the environ as `environ['tsgi.request_id']`, so the app and
 *   the middleware around it (the timing log line) can use it.
 * - Echoes it in the response's `X-Request-Id`, unless the app set that
 *   header itself.
 *
 * @example
 * import { requestId } from '@tsgi/middleware-request-id';
 * const app = requestId(myApp, { trustProxy: 'loopback' });
 */
export function requestId(app: Application, options?: RequestIdOptions): Application {
  const resolved = resolveRequestIdOptions(options);
  const { header, headerLower } = resolved;
  return (environ, startResponse) => {
    const id = chooseId(environ, resolved);
    environ['tsgi.request_id'] = id;
    return app(environ, (status, headers, excInfo) =>
      startResponse(status, withRequestIdHeader(headers, header, headerLower, id), excInfo),
    );
  };
}
