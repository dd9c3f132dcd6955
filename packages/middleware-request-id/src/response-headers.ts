import type { HeaderList } from '@tsgi/spec';

/**
 * The headers to send: the app's list (never mutated; it may be a shared
 * constant) plus `[name, id]`, unless the app already set that header, in any
 * letter case, in which case its own value stands.
 */
export function withRequestIdHeader(
  headers: HeaderList,
  name: string,
  lowerName: string,
  id: string,
): HeaderList {
  for (const [key] of headers) {
    if (key.length === lowerName.length && key.toLowerCase() === lowerName) return headers;
  }
  const out = headers.slice();
  out.push([name, id]);
  return out;
}
