/** The longest close reason: a control frame's 125 bytes less the 2-byte code (RFC 6455 §5.5). */
export const MAX_CLOSE_REASON_BYTES = 123;

/** The close codes RFC 6455 §7.4.1 names that may be sent in a close frame. */
const SENDABLE = new Set([1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014]);

/**
 * True when `code` may appear in a close frame on the wire (RFC 6455 §7.4):
 * a defined code other than 1004, 1005, 1006 and 1015, or 3000–4999.
 */
export function isWireCloseCode(code: number): boolean {
  return Number.isInteger(code) && (SENDABLE.has(code) || (code >= 3000 && code <= 4999));
}

/**
 * True when an application may close with `code`: 1000 (normal), 1001 (going
 * away), 1008 (policy), 1011 (server error), 1012–1013 (restart, try later),
 * or a registered or private code 3000–4999. The protocol-error codes are the
 * server's.
 */
export function isAppCloseCode(code: number): boolean {
  return (
    Number.isInteger(code) &&
    (code === 1000 ||
      code === 1001 ||
      code === 1008 ||
      code === 1011 ||
      code === 1012 ||
      code === 1013 ||
      (code >= 3000 && code <= 4999))
  );
}

/** A UTF-16 surrogate with no partner: it has no UTF-8 form. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Why `close(code, reason)` may not be sent, or undefined when it may:
 * an application code (`isAppCloseCode`) and a reason that is well-formed
 * text of at most 123 bytes of UTF-8.
 */
export function closeProblem(code: number, reason: string): string | undefined {
  if (!isAppCloseCode(code)) {
    const shown = typeof code === 'string' ? JSON.stringify(code) : String(code);
    return `close code ${shown} is not 1000, 1001, 1008, 1011–1013 or 3000–4999`;
  }
  if (typeof reason !== 'string') return 'the close reason must be a string';
  if (LONE_SURROGATE.test(reason))
    return 'the close reason is not well-formed text: it has a lone surrogate';
  const bytes = new TextEncoder().encode(reason).byteLength;
  if (bytes > MAX_CLOSE_REASON_BYTES)
    return `the close reason is ${bytes} bytes of UTF-8, over ${MAX_CLOSE_REASON_BYTES}`;
  return undefined;
}
