/**
 * The code of a `startResponse` status such as `"404 Not Found"`, or `NaN`
 * when it does not start with three digits. Read from the first three
 * characters: `Number.parseInt` is a runtime call that costs more than the
 * rest of the per-request bookkeeping.
 */
export function statusCode(status: string): number {
  if (typeof status !== 'string' || status.length < 3) return Number.NaN;
  const a = status.charCodeAt(0) - 48;
  const b = status.charCodeAt(1) - 48;
  const c = status.charCodeAt(2) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9 || c < 0 || c > 9) return Number.NaN;
  return a * 100 + b * 10 + c;
}
