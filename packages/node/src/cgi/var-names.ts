/** Names kept at most: Nginx sends a few dozen; a peer sending odd names only misses. */
const MAX_NAMES = 512;

const names = new Map<number, string>();

/**
 * The var name in `bytes[start, end)` as a latin1 string, taken from a small
 * cache of names already seen when it is there: Nginx sends the same few
 * dozen names in every packet, so the usual name costs a hash and a compare
 * in JS instead of a new string, and the cached copy is internalized, which
 * makes the environ's property stores under it cheaper. A hash collision
 * only misses the cache (the bytes are always compared).
 *
 * @example
 * const key = varName(block, 2, 2 + keyLength);
 */
export function varName(bytes: Buffer, start: number, end: number): string {
  let hash = end - start;
  for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + bytes[i]!) | 0;
  const cached = names.get(hash);
  if (cached !== undefined && sameBytes(cached, bytes, start, end)) return cached;
  const name = bytes.toString('latin1', start, end);
  if (cached === undefined && names.size < MAX_NAMES) names.set(hash, internalized(name));
  return name;
}

function sameBytes(name: string, bytes: Buffer, start: number, end: number): boolean {
  if (name.length !== end - start) return false;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) !== bytes[start + i]) return false;
  return true;
}

/** The same string, internalized by V8 (a property key is). */
function internalized(name: string): string {
  return Object.keys({ [name]: 0 })[0] ?? name;
}
