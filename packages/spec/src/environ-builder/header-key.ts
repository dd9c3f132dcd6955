/** Header name as sent → environ key; `null` for headers that get no `HTTP_*` key. Bounded. */
const keyCache = new Map<string, string | null>();
const KEY_CACHE_MAX = 512;
const CGI_HEADER = /^HTTP_[A-Z0-9_]+$/;

/**
 * The environ key of a request header: `HTTP_` + the name upper-cased with `-`
 * turned into `_` (`X-Request-Id` → `HTTP_X_REQUEST_ID`), or `null` for
 * `Content-Type` and `Content-Length` (they have CGI keys of their own) and for
 * names holding `_`. Those are dropped, as Nginx and gunicorn do: `X_User` would
 * otherwise collide with `X-User` and let a client spoof a header a proxy set.
 *
 * This is the one place that rule lives: the server, the gateway listeners
 * and the test client all build their environs through it.
 *
 * @example
 * environKey('X-Request-Id'); // 'HTTP_X_REQUEST_ID'
 * environKey('X_Request_Id'); // null
 */
export function environKey(name: string): string | null {
  let key = keyCache.get(name);
  if (key !== undefined) return key;
  const lower = name.toLowerCase();
  if (lower === 'content-type' || lower === 'content-length' || lower.includes('_')) {
    key = null;
  } else {
    key = internalize(`HTTP_${lower.toUpperCase().replaceAll('-', '_')}`);
  }
  if (keyCache.size < KEY_CACHE_MAX) keyCache.set(name, key);
  return key;
}

/**
 * The environ key of a header a gateway passed as a CGI variable: `HTTP_*`
 * names pass as they are (the front server already applied its own
 * underscore rule), except `HTTP_CONTENT_TYPE`/`HTTP_CONTENT_LENGTH`, which
 * have CGI keys of their own; anything else is not a header (`null`).
 */
export function cgiHeaderKey(name: string): string | null {
  if (name === 'HTTP_CONTENT_TYPE' || name === 'HTTP_CONTENT_LENGTH') return null;
  return CGI_HEADER.test(name) ? name : null;
}

/** The same text as an internalized string: property names are. */
function internalize(text: string): string {
  return Object.keys({ [text]: 0 })[0]!;
}
