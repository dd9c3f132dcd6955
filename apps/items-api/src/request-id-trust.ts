/**
 * Reads `REQUEST_ID_TRUST_PROXY`: unset, empty, `false`, `0` or `no` trusts
 * nobody (every request gets a new id); `true`, `1` or `yes` trusts every peer;
 * anything else is passed on as a comma-separated list of addresses, CIDRs,
 * `loopback` and `unix`, which @tsgi/middleware-request-id checks.
 */
export function parseTrust(value: string | undefined): boolean | string {
  const text = (value ?? '').trim();
  const lower = text.toLowerCase();
  if (text === '' || lower === 'false' || lower === '0' || lower === 'no') return false;
  if (lower === 'true' || lower === '1' || lower === 'yes') return true;
  return text;
}
