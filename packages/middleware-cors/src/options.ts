import { type Environ, isToken } from '@tsgi/spec';

/**
 * Decides whether an origin may read the response: `true` allows it, `false`
 * (or `undefined`/`null`) does not, a string allows it when it equals the
 * request's origin (or is `'*'`) and refuses otherwise. May be async.
 */
export type OriginFunction = (
  origin: string,
  environ: Environ,
) => boolean | string | null | undefined | Promise<boolean | string | null | undefined>;

/** Which origins may read responses: see {@link CorsOptions.origin}. */
export type OriginOption = '*' | string | RegExp | Array<string | RegExp> | OriginFunction;

/** Options of {@link cors}. Every one is optional. */
export interface CorsOptions {
  /**
   * Which origins are allowed. Default `'*'`, any origin.
   *
   * - `'*'`: any origin; sent as `*`, or the origin reflected when `credentials` is on
   *   (and then the `null` origin is refused).
   * - a string: exactly that serialized origin, e.g. `'https://app.example'` (no path, no
   *   trailing slash; `'null'` allows the opaque origin).
   * - a RegExp: origins it matches (never `null`).
   * - an array of strings and RegExps: any of them (`null` only when the string `'null'` is listed).
   * - a function `(origin, environ)`, sync or async, see {@link OriginFunction}.
   */
  origin?: OriginOption;
  /** `Access-Control-Allow-Methods` on preflight responses. Default `['GET', 'POST', 'OPTIONS']`. */
  methods?: string | string[];
  /**
   * `Access-Control-Allow-Headers` on preflight responses. Default: reflect the
   * preflight's `Access-Control-Request-Headers` (and `Vary` on it).
   */
  allowedHeaders?: string | string[];
  /** `Access-Control-Expose-Headers` on actual responses: headers scripts may read. Default none. */
  exposedHeaders?: string | string[];
  /** Send `Access-Control-Allow-Credentials: true` to allowed origins (never `*` then). Default `false`. */
  credentials?: boolean;
  /** `Access-Control-Max-Age` in seconds on preflight responses. Default: not sent. */
  maxAge?: number;
  /** Status of an answered preflight: 204 (default, no `Content-Length`) or 200 (`Content-Length: 0`). */
  preflightStatus?: 204 | 200;
  /** Answer `Access-Control-Request-Private-Network: true` with `Access-Control-Allow-Private-Network: true`. Default `false`. */
  privateNetwork?: boolean;
  /**
   * Answer requests (and preflights) from a disallowed origin with 403 and a
   * JSON error instead of passing them on without CORS headers. Default `false`.
   */
  rejectDisallowed?: boolean;
}

/** The options checked and turned into the header values the middleware sends. */
export interface ResolvedCorsOptions {
  credentials: boolean;
  /** `origin: '*'` without credentials: the answer never depends on the origin. */
  anyOrigin: boolean;
  methods: string;
  /** `undefined`: reflect `Access-Control-Request-Headers`. */
  allowedHeaders: string | undefined;
  exposedHeaders: string | undefined;
  maxAge: string | undefined;
  preflightStatus: 204 | 200;
  privateNetwork: boolean;
  rejectDisallowed: boolean;
}

function tokenList(
  name: string,
  value: string | string[] | undefined,
  credentials: boolean,
): string | undefined {
  if (value === undefined) return undefined;
  const items = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value;
  if (!Array.isArray(items)) {
    throw new TypeError(`cors: "${name}" must be a string or an array of strings`);
  }
  const clean = items.filter((s) => s !== '');
  for (const item of clean) {
    if (typeof item !== 'string' || !isToken(item)) {
      throw new TypeError(
        `cors: "${name}" has an entry that is not a valid token: ${String(item)}`,
      );
    }
    if (item === '*' && credentials) {
      throw new TypeError(
        `cors: "${name}" cannot be '*' with credentials: browsers read it as a literal name then; list the names`,
      );
    }
  }
  return clean.length === 0 ? undefined : clean.join(', ');
}

/** Applies defaults and rejects bad options with a `TypeError` that names the option. */
export function resolveCorsOptions(options: CorsOptions): ResolvedCorsOptions {
  const credentials = options.credentials ?? false;
  if (typeof credentials !== 'boolean')
    throw new TypeError('cors: "credentials" must be a boolean');
  const maxAge = options.maxAge;
  if (maxAge !== undefined && (!Number.isSafeInteger(maxAge) || maxAge < 0)) {
    throw new TypeError(
      `cors: "maxAge" must be a whole number of seconds ≥ 0, got ${String(maxAge)}`,
    );
  }
  const preflightStatus = options.preflightStatus ?? 204;
  if (preflightStatus !== 204 && preflightStatus !== 200) {
    throw new TypeError(
      `cors: "preflightStatus" must be 204 or 200, got ${String(preflightStatus)}`,
    );
  }
  const allowedHeaders =
    options.allowedHeaders === undefined
      ? undefined
      : (tokenList('allowedHeaders', options.allowedHeaders, credentials) ?? '');
  return {
    credentials,
    anyOrigin: (options.origin ?? '*') === '*' && !credentials,
    methods: tokenList('methods', options.methods ?? ['GET', 'POST', 'OPTIONS'], credentials) ?? '',
    allowedHeaders,
    exposedHeaders: tokenList('exposedHeaders', options.exposedHeaders, credentials),
    maxAge: maxAge === undefined ? undefined : String(maxAge),
    preflightStatus,
    privateNetwork: options.privateNetwork ?? false,
    rejectDisallowed: options.rejectDisallowed ?? false,
  };
}
