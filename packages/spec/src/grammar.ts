/**
 * The HTTP grammar every TSGI package checks against (RFC 9110 §5), in one
 * place: servers, middleware and `validate()` import it from here.
 */

/** An HTTP token (RFC 9110 §5.6.2): methods and header names. */
export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Decimal digits only, at least one. */
export const DIGITS = /^[0-9]+$/;

/** A control character other than HTAB: forbidden in header values. */
export const CONTROL_EXCEPT_TAB = /[\x00-\x08\x0a-\x1f\x7f]/;

/** A character that is not one byte in ISO-8859-1 (above U+00FF): it cannot go on the wire in a header. */
export const ABOVE_LATIN1 = /[^\x00-\xff]/;

/** A character a field value may not hold on the wire: a control other than HTAB, or above U+00FF. */
const NOT_FIELD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

/** qdtext and quoted-pair of a quoted-string (RFC 9110 §5.6.4). */
const QUOTED_STRING = /^"(?:[\t \x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t \x21-\x7e\x80-\xff])*"$/;

/** The hop-by-hop headers an application must not send (lower case). */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
]);

/**
 * True when `name` is a token (RFC 9110 §5.6.2): a valid method or header name.
 *
 * @example
 * isToken('X-Request-Id'); // true
 * isToken('Bad Name');     // false
 */
export function isToken(name: string): boolean {
  return TOKEN.test(name);
}

/**
 * True when `value` can be sent as a header field value (RFC 9110 §5.5): no
 * CR, LF, NUL or other control character but HTAB, nothing above U+00FF.
 */
export function isFieldValue(value: string): boolean {
  return !NOT_FIELD_VALUE.test(value);
}

/** True when `text` is one quoted-string (RFC 9110 §5.6.4), quotes included. */
export function isQuotedString(text: string): boolean {
  return QUOTED_STRING.test(text);
}

/**
 * `text` as a quoted-string: wrapped in `"`, with `"` and `\` escaped. Throws
 * a TypeError when `text` holds a character no quoted-string can carry.
 *
 * @example
 * quoteString('a "b"'); // '"a \\"b\\""'
 */
export function quoteString(text: string): string {
  const quoted = `"${text.replace(/["\\]/g, '\\$&')}"`;
  if (!QUOTED_STRING.test(quoted)) {
    throw new TypeError(
      `quoteString: ${JSON.stringify(text)} holds a control character or one above U+00FF`,
    );
  }
  return quoted;
}

/**
 * True when `value` can be a `SCRIPT_NAME` [env.5]: `""`, or a path that
 * starts with `/` and does not end with one, e.g. `/api`.
 */
export function isScriptName(value: string): boolean {
  return value === '' || (value.startsWith('/') && !value.endsWith('/'));
}
