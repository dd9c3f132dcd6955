/**
 * The environ keys of HTTP/1.1's connection-specific request fields, which
 * make an HTTP/2 (or HTTP/3) request malformed (RFC 9113 §8.2.2, RFC 9114
 * §4.2). `TE` is apart: it may be present, naming only `trailers`.
 */
export const CONNECTION_SPECIFIC_KEYS: readonly string[] = [
  'HTTP_CONNECTION',
  'HTTP_KEEP_ALIVE',
  'HTTP_PROXY_CONNECTION',
  'HTTP_TRANSFER_ENCODING',
  'HTTP_UPGRADE',
];

/**
 * The major version of a `SERVER_PROTOCOL` such as `"HTTP/2.0"` (`2`), or
 * `NaN` when it is not `HTTP/` and a digit.
 */
export function majorVersion(protocol: string): number {
  const digit = protocol.charCodeAt(5) - 48;
  return protocol.startsWith('HTTP/') && digit >= 0 && digit <= 9 ? digit : Number.NaN;
}

/**
 * Why a request of `protocol` whose CGI variables `get` reads is malformed
 * by SPEC.md [env.24]: over HTTP/2 or later, one of HTTP/1.1's
 * connection-specific fields (named with its value), or a `TE` naming
 * anything but `trailers`. `undefined` when it is not, and for HTTP/1.x.
 * The validator reports it against a server; a gateway listener refuses the
 * request with it (a front proxy older than Nginx 1.31 passes such fields).
 *
 * @example
 * connectionSpecificProblem('HTTP/2.0', (key) => ({ HTTP_CONNECTION: 'close' })[key]);
 * // 'HTTP_CONNECTION ("close") on an HTTP/2.0 request'
 */
export function connectionSpecificProblem(
  protocol: string,
  get: (key: string) => string | undefined,
): string | undefined {
  if (!(majorVersion(protocol) >= 2)) return undefined;
  for (const key of CONNECTION_SPECIFIC_KEYS) {
    const value = get(key);
    if (value !== undefined) return `${key} (${JSON.stringify(value)}) on an ${protocol} request`;
  }
  const te = get('HTTP_TE');
  if (te?.split(',').some((item) => item.trim().toLowerCase() !== 'trailers')) {
    return `HTTP_TE (${JSON.stringify(te)}, where TE may name only trailers) on an ${protocol} request`;
  }
  return undefined;
}
