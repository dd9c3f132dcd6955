import { show, violation } from './violation.js';

/**
 * The environ keys of HTTP/1.1's connection-specific request fields, which
 * make an HTTP/2 (or HTTP/3) request malformed (RFC 9113 §8.2.2, RFC 9114
 * §4.2). `TE` is apart: it may be present, naming only `trailers`.
 */
const CONNECTION_SPECIFIC_KEYS = [
  'HTTP_CONNECTION',
  'HTTP_KEEP_ALIVE',
  'HTTP_PROXY_CONNECTION',
  'HTTP_TRANSFER_ENCODING',
  'HTTP_UPGRADE',
] as const;

/**
 * The major version of a `SERVER_PROTOCOL` already known to be `HTTP/` and a
 * digit (env.15), e.g. `2` for `"HTTP/2.0"`.
 */
export function majorVersion(protocol: string): number {
  return protocol.charCodeAt(5) - 48;
}

/**
 * Checks that an HTTP/2-or-later request carries no connection-specific
 * field (env.24): the server should have refused it as malformed, so a
 * violation is the server's. Does nothing for HTTP/1.x.
 */
export function checkHttp2Fields(env: Record<string, string | undefined>): void {
  const protocol = env.SERVER_PROTOCOL!;
  if (majorVersion(protocol) < 2) return;
  for (const key of CONNECTION_SPECIFIC_KEYS) {
    if (env[key] !== undefined) {
      throw violation(
        'env.24',
        `the server passed ${key} (${show(env[key])}) on an ${protocol} request, which makes it malformed`,
      );
    }
  }
  const te = env.HTTP_TE;
  if (te?.split(',').some((item) => item.trim().toLowerCase() !== 'trailers')) {
    throw violation(
      'env.24',
      `the server passed HTTP_TE ${show(te)} on an ${protocol} request, where TE may name only trailers`,
    );
  }
}
