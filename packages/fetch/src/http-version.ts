/** `HTTP/` and the major version of a `SERVER_PROTOCOL` such as `"HTTP/2.0"` or `"HTTP/3"`. */
const MAJOR = /^HTTP\/(\d+)/;

/**
 * Whether `protocol` (a `SERVER_PROTOCOL`) is HTTP/2 or later: a request that
 * frames its body itself and carries none of HTTP/1.1's connection-specific
 * fields [env.24]. False for anything that does not start `HTTP/<digits>`.
 */
export function isHttp2OrLater(protocol: string | undefined): boolean {
  const match = protocol === undefined ? null : MAJOR.exec(protocol);
  return match !== null && Number(match[1]) >= 2;
}
