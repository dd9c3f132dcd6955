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
  const length = headers.length;
  for (let i = 0; i < length; i++) {
    const key = headers[i]![0];
    if (key.length === lowerName.length && key.toLowerCase() === lowerName) return headers;
  }
  // One array of the final size: a slice() then push() would allocate twice.
  const out: HeaderList = new Array(length + 1);
  for (let i = 0; i < length; i++) out[i] = headers[i]!;
  out[length] = [name, id];
  return out;
}
