import { compileTrust, isToken, type TrustPredicate } from '@tsgi/spec';

/** Options of {@link requestId}. Every one is optional. */
export interface RequestIdOptions {
  /**
   * The request header an incoming id is read from, and the response header
   * the id is echoed in. Default `"X-Request-Id"`. Letters, digits and `-`
   * only: servers drop request headers whose names hold `_` or other
   * characters (Nginx, gunicorn and `@tsgi/node` do, against spoofing), so
   * such a name is refused.
   */
  header?: string;
  /**
   * Whose incoming id is accepted, judged on `REMOTE_ADDR`, with the same
   * syntax as `@tsgi/node`'s `trustProxy` (both use `compileTrust` from
   * `@tsgi/spec`): `false` (default: never, every
   * request gets a new id), `true` (every peer), or addresses and CIDRs
   * (`'10.0.0.0/8'`, `'::1'`), `'loopback'` (127.0.0.0/8 and ::1) and
   * `'unix'` (an empty `REMOTE_ADDR`: a Unix-socket peer), as an array or a
   * comma-separated string.
   */
  trustProxy?: boolean | string | readonly string[];
  /**
   * Makes the id of a request that brings no acceptable one. Default
   * `crypto.randomUUID`. It must return 1 to 128 characters from
   * `A–Z a–z 0–9 . _ : -`; anything else is an error for that request.
   */
  generate?: () => string;
}

/** Options after defaults and checks: what the middleware runs on. */
export interface ResolvedRequestIdOptions {
  header: string;
  headerLower: string;
  /** Where the server puts the request header: `HTTP_X_REQUEST_ID`. */
  environKey: `HTTP_${string}`;
  trusted: TrustPredicate | undefined;
  generate: () => string;
}

/** The header names a server passes on as `HTTP_*`: letters, digits and `-`. */
const DELIVERABLE = /^[0-9A-Za-z-]+$/;

/**
 * Applies defaults and rejects bad options with a `TypeError` that names the
 * option, so a mistake shows when the app is built, not at the first request.
 */
export function resolveRequestIdOptions(options: RequestIdOptions = {}): ResolvedRequestIdOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`requestId: options must be an object, got ${String(options)}`);
  }
  const header = options.header ?? 'X-Request-Id';
  if (typeof header !== 'string' || !isToken(header)) {
    throw new TypeError(`requestId: "header" must be a header name, got ${String(header)}`);
  }
  if (!DELIVERABLE.test(header)) {
    throw new TypeError(
      `requestId: "header" ${header} can never be read from a request: servers drop request headers whose names hold "_" or characters other than letters, digits and "-" (Nginx, gunicorn and @tsgi/node do, against spoofing); use ${header.replace(/[^0-9A-Za-z-]/g, '-')}`,
    );
  }
  const headerLower = header.toLowerCase();
  if (headerLower === 'content-type' || headerLower === 'content-length') {
    throw new TypeError(`requestId: "header" cannot be ${header}`);
  }
  const trusted = compileTrust(options.trustProxy, 'requestId: "trustProxy"');
  const generate = options.generate ?? (() => crypto.randomUUID());
  if (typeof generate !== 'function') {
    throw new TypeError('requestId: "generate" must be a function that returns a new id');
  }
  return {
    header,
    headerLower,
    environKey: `HTTP_${header.toUpperCase().replaceAll('-', '_')}`,
    trusted,
    generate,
  };
}
