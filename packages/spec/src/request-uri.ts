import type { Environ } from './environ.js';

/** Characters a path keeps as they are: RFC 3986 `pchar` and `/`, except `%`. */
const PATH_SAFE = /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/;
/** A path made only of those: it needs no encoding. */
const PATH_ALL_SAFE = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;
const encoder = new TextEncoder();

/** Percent-encodes a decoded path so that it decodes back to the same text. */
function quotePath(path: string): string {
  if (PATH_ALL_SAFE.test(path)) return path;
  let out = '';
  for (const char of path) {
    if (PATH_SAFE.test(char)) {
      out += char;
      continue;
    }
    for (const byte of encoder.encode(char)) {
      out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

function defaultPort(scheme: string): string {
  return scheme === 'https' ? '443' : '80';
}

/**
 * The request's origin, `scheme://host[:port]`: the host from `HTTP_HOST`
 * when present, else `SERVER_NAME` and `SERVER_PORT` (IPv6 in brackets), the
 * scheme's default port left out.
 *
 * @example
 * requestOrigin(environ); // 'http://127.0.0.1:8002'
 */
export function requestOrigin(environ: Environ): string {
  return origin(environ);
}

/** `scheme://host[:port]`, from `HTTP_HOST` when present, else `SERVER_NAME`/`SERVER_PORT`. */
function origin(environ: Environ): string {
  const scheme = environ['tsgi.url_scheme'];
  let host: string;
  let port: string;
  const header = environ.HTTP_HOST;
  // The common case: a Host without a port needs no parsing.
  if (header && header.indexOf(':') === -1) return `${scheme}://${header}`;
  if (header) {
    const match = /^(\[[^\]]*\]|[^:]*)(?::([0-9]*))?$/.exec(header);
    host = match?.[1] ?? header;
    port = match?.[2] ?? '';
  } else {
    host = environ.SERVER_NAME;
    port = environ.SERVER_PORT;
    if (host.includes(':') && !host.startsWith('[')) host = `[${host}]`;
  }
  const keepPort = port !== '' && port !== defaultPort(scheme);
  return `${scheme}://${host}${keepPort ? `:${port}` : ''}`;
}

/**
 * The URL of the application's root, like `wsgiref.util.application_uri`:
 * scheme, host (from `HTTP_HOST`, else `SERVER_NAME` and `SERVER_PORT`, IPv6
 * in brackets, default port left out) and the percent-encoded `SCRIPT_NAME`,
 * or `/` when it is empty.
 *
 * @example
 * applicationUri(environ); // 'http://127.0.0.1:8002/api'
 */
export function applicationUri(environ: Environ): string {
  return origin(environ) + (quotePath(environ.SCRIPT_NAME ?? '') || '/');
}

/**
 * The full URL of the request, like `wsgiref.util.request_uri`: the
 * application's origin, then `SCRIPT_NAME + PATH_INFO` percent-encoded again
 * as UTF-8 (so `%2F` sent by the client comes back as `/`), then
 * `?QUERY_STRING` when `includeQuery` and the query is not empty.
 *
 * @example
 * requestUri(environ); // 'http://127.0.0.1:8002/api/items?page=2'
 * requestUri(environ, false); // 'http://127.0.0.1:8002/api/items'
 */
export function requestUri(environ: Environ, includeQuery = true): string {
  const path = quotePath((environ.SCRIPT_NAME ?? '') + (environ.PATH_INFO ?? '')) || '/';
  const query = includeQuery && environ.QUERY_STRING ? `?${environ.QUERY_STRING}` : '';
  return origin(environ) + path + query;
}

/**
 * The URL of the request as the application mounted at `SCRIPT_NAME` sees
 * it: the origin, then `PATH_INFO` alone, percent-encoded again, then
 * `?QUERY_STRING` when `includeQuery` and the query is not empty. What a
 * mounted fetch handler is given, so its routes need not know the mount.
 *
 * @example
 * // SCRIPT_NAME "/api", PATH_INFO "/items"
 * pathInfoUri(environ); // 'http://127.0.0.1:8002/items'
 */
export function pathInfoUri(environ: Environ, includeQuery = true): string {
  const path = quotePath(environ.PATH_INFO ?? '') || '/';
  const query = includeQuery && environ.QUERY_STRING ? `?${environ.QUERY_STRING}` : '';
  return origin(environ) + path + query;
}
