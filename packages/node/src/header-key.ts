/** Header name as sent → environ key; `null` for headers that get no `HTTP_*` key. Bounded. */
const keyCache = new Map<string, string | null>();
const KEY_CACHE_MAX = 512;

/**
 * The environ key of a request header: `HTTP_` + the name upper-cased with `-`
 * turned into `_` (`X-Request-Id` → `HTTP_X_REQUEST_ID`), or `null` for
 * `Content-Type` and `Content-Length` (they have CGI keys of their own) and for
 * names holding `_`. Those are dropped, as Nginx and gunicorn do: `X_User` would
 * otherwise collide with `X-User` and let a client spoof a header a proxy set.
 *
 * The keys are internalized strings, which V8 looks up on the environ far
 * faster than the fresh strings a template literal makes.
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

/** The same text as an internalized string: property names are. */
function internalize(text: string): string {
  return Object.keys({ [text]: 0 })[0]!;
}
