/**
 * The response `Content-Length` rules every server and adapter applies:
 * reading the application's header [sr.7] and holding the body to it [body.4].
 */

/** The response body and its `Content-Length` header disagree [body.4]: the server must not send it as whole. */
export class ContentLengthMismatch extends Error {
  override name = 'ContentLengthMismatch';
}

/**
 * A `Content-Length` value as a number: ASCII digits only, at most 15 of them
 * (an exact integer); -1 when it is not one [sr.7].
 */
export function parseContentLength(value: string): number {
  const length = value.length;
  if (length === 0 || length > 15) return -1;
  let n = 0;
  for (let i = 0; i < length; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

/**
 * Polices a declared `Content-Length` (-1: none) against the `sent` body
 * bytes: throws a `ContentLengthMismatch` when they overrun it, or, once the
 * body is `complete`, fall short of it. The one place the rule lives, for every server and adapter.
 */
export function checkContentLength(declared: number, sent: number, complete: boolean): void {
  if (declared === -1 || sent === declared) return;
  if (sent > declared) {
    throw new ContentLengthMismatch(
      `response body is longer than its Content-Length of ${declared} bytes`,
    );
  }
  if (complete) {
    throw new ContentLengthMismatch(
      `response body is ${sent} bytes but its Content-Length says ${declared}`,
    );
  }
}
