/**
 * What an accepted `X-Request-Id` may look like: 1 to 128 characters from
 * `A–Z a–z 0–9 . _ : -`. Enough for UUIDs, Nginx's `$request_id`, ULIDs and
 * `service:host:counter` styles; nothing that could split a log line or a
 * header (no spaces, commas, quotes or control characters).
 */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Whether `value` is a string that {@link REQUEST_ID_PATTERN} accepts. */
export function isValidRequestId(value: unknown): value is string {
  return typeof value === 'string' && REQUEST_ID_PATTERN.test(value);
}
