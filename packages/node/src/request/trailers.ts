import { RequestBodyError } from '@tsgi/spec';

/**
 * Fields that must not arrive in a request's trailer section (RFC 9110
 * §6.5.1): framing, routing, authentication, request modifiers, connection
 * options and content format are all needed before the content is read.
 * Lower-case, as compared.
 */
const FORBIDDEN_TRAILERS: ReadonlySet<string> = new Set([
  // framing (RFC 9112 §6)
  'content-length',
  'transfer-encoding',
  'trailer',
  // routing and connection (RFC 9110 §7.2, §7.6)
  'host',
  'connection',
  'keep-alive',
  'te',
  'upgrade',
  'max-forwards',
  // authentication (RFC 9110 §11)
  'authorization',
  'proxy-authorization',
  'cookie',
  // request modifiers (RFC 9110 §10.1, §13, §14)
  'expect',
  'range',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
  'if-range',
  'cache-control',
  // content format (RFC 9110 §8)
  'content-type',
  'content-encoding',
  'content-range',
]);

/**
 * The error that ends the read of a chunked body whose trailer section
 * carries a field from `FORBIDDEN_TRAILERS` (400), or `undefined`. TSGI puts
 * no trailer field in the environ, so the others are ignored, as RFC 9110
 * §6.5.2 allows; a forbidden one is rejected rather than ignored because a
 * proxy in front may have merged it into the header section (a smuggling
 * vector). `source` is the body's readable: an `IncomingMessage` has
 * `rawTrailers` once it ended; other sources have none.
 *
 * @example
 * const error = trailerError(req); // after req's 'end'
 */
export function trailerError(source: object): RequestBodyError | undefined {
  const trailers = (source as { rawTrailers?: readonly string[] }).rawTrailers;
  if (trailers === undefined) return undefined;
  for (let i = 0; i < trailers.length; i += 2) {
    const name = trailers[i]!.toLowerCase();
    if (FORBIDDEN_TRAILERS.has(name)) {
      return new RequestBodyError(400, `the field ${name} is not allowed in a trailer section`);
    }
  }
  return undefined;
}
