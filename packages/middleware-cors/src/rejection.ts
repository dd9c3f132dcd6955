import type { Environ, ResponseBody, StartResponse } from '@tsgi/spec';
import { jsonResponse } from '@tsgi/spec';

/**
 * True when `origin` is the request's own origin (`tsgi.url_scheme://Host`):
 * browsers send `Origin` on same-origin POSTs too, and those must not be
 * refused as if they were cross-origin.
 */
export function isSameOrigin(environ: Environ, origin: string): boolean {
  const host = environ.HTTP_HOST;
  return host !== undefined && origin === `${environ['tsgi.url_scheme']}://${host.toLowerCase()}`;
}

/** The 403 answer of `rejectDisallowed`: JSON naming the refused origin, the app is not called. */
export function rejectOrigin(
  startResponse: StartResponse,
  origin: string,
  vary: string,
): ResponseBody {
  return jsonResponse(
    startResponse,
    403,
    { error: `CORS: origin ${JSON.stringify(origin)} is not allowed` },
    vary === '' ? [] : [['Vary', vary]],
  );
}
