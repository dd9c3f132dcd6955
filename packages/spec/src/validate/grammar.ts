/** An HTTP token (RFC 9110 §5.6.2): methods and header names. */
export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Decimal digits only, at least one. */
export const DIGITS = /^[0-9]+$/;

/** A control character other than HTAB: forbidden in header values. */
export const CONTROL_EXCEPT_TAB = /[\x00-\x08\x0a-\x1f\x7f]/;

/** A character that is not one byte in ISO-8859-1 (above U+00FF): it cannot go on the wire in a header. */
export const ABOVE_LATIN1 = /[^\x00-\xff]/;

/** The hop-by-hop headers an application must not send (lower case). */
export const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
]);

/** True for promises and other thenables. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
