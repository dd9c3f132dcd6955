import { decodePath as decodeWithSpec } from '@tsgi/spec';
import type { QueryInput } from './options.js';

/** Where a request goes: scheme and authority, split the ways the environ needs them. */
export interface Origin {
  /** `"http"` or `"https"`. */
  scheme: string;
  /** The host name as in a URL (`"localhost"`, `"[::1]"`). */
  hostname: string;
  /** The port as a string, the scheme's default when the URL has none. */
  port: string;
  /** The `Host` header value: host name, plus `:port` when it is not the default. */
  host: string;
  /** `scheme://host`, without a trailing slash. */
  href: string;
}

/** An origin plus a raw request target (path and query, percent-encoded as on the wire). */
export interface Location {
  origin: Origin;
  target: string;
}

/** Splits a URL into the origin and the path prefix (`""` or `/a/b`, no trailing slash). */
export function parseBase(base: string | URL): { origin: Origin; prefix: string } {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new TypeError(
      `test-client: base URL ${JSON.stringify(String(base))} is not an absolute URL`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`test-client: base URL ${url.href} must be http: or https:`);
  }
  const prefix = url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '');
  return { origin: originOf(url), prefix };
}

/** The origin of an absolute URL. */
export function originOf(url: URL): Origin {
  const scheme = url.protocol.slice(0, -1);
  const port = url.port || (scheme === 'https' ? '443' : '80');
  return { scheme, hostname: url.hostname, port, host: url.host, href: `${scheme}://${url.host}` };
}

// Anything a URL would percent-encode or normalise in a path or query: we let URL do it,
// so in-process requests see the same REQUEST_URI a real client would send.
const NEEDS_NORMALISING = /[^\w\-.~!$&'()*+,;=:@/?%]|\/\.|^[^/]/;

/**
 * Resolves a request path against the base: `"/items?x=1"` becomes the target
 * `prefix + "/items?x=1"`, `query` is appended, a `#fragment` is dropped. An
 * absolute `http(s)://` URL replaces the base altogether; `"*"` is the
 * asterisk-form target of `OPTIONS *`.
 */
export function resolveTarget(
  base: { origin: Origin; prefix: string },
  path: string,
  query: QueryInput | undefined,
): Location {
  let origin = base.origin;
  let target: string;
  if (path.startsWith('http://') || path.startsWith('https://')) {
    const url = new URL(path);
    origin = originOf(url);
    target = url.pathname + url.search;
  } else if (path === '*') {
    // The asterisk-form of OPTIONS: no path at all.
    return { origin, target: '*' };
  } else {
    if (path !== '' && path[0] !== '/' && path[0] !== '?') {
      throw new TypeError(
        `test-client: request path ${JSON.stringify(path)} must start with "/" (or be an absolute http(s) URL)`,
      );
    }
    const hash = path.indexOf('#');
    if (hash !== -1) path = path.slice(0, hash);
    target = base.prefix + (path === '' || path[0] === '?' ? `/${path}` : path);
    if (NEEDS_NORMALISING.test(target)) {
      const url = new URL(target, 'http://x');
      target = url.pathname + url.search;
    }
  }
  if (query !== undefined) {
    const qs = encodeQuery(query);
    if (qs !== '') target += (target.includes('?') ? '&' : '?') + qs;
  }
  return { origin, target };
}

/** Encodes a query or form object the way `URLSearchParams` does. */
export function encodeQuery(query: QueryInput): string {
  if (typeof query === 'string') return query[0] === '?' ? query.slice(1) : query;
  if (query instanceof URLSearchParams) return query.toString();
  const params = new URLSearchParams();
  for (const key of Object.keys(query)) {
    const value = query[key];
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.append(key, String(value));
  }
  return params.toString();
}

/**
 * Percent-decodes a path as UTF-8 for `PATH_INFO`. A malformed escape or invalid
 * UTF-8 throws a `TypeError` naming the path, so the test fails at the cause.
 */
export function decodePath(path: string): string {
  const decoded = decodeWithSpec(path);
  if (decoded === undefined) {
    throw new TypeError(
      `test-client: request path ${JSON.stringify(path)} does not percent-decode to valid UTF-8, so it has no PATH_INFO`,
    );
  }
  return decoded;
}
