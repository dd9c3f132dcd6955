import { SINGLE_VARS } from '../cgi/var-checks.js';
import { varName } from '../cgi/var-names.js';

/** A name-value block that does not parse; the connection is closed, and the reason logged. */
export class MalformedRecordError extends Error {
  override name = 'MalformedRecordError';
}

/**
 * Decodes FastCGI name-value pairs (`FCGI_PARAMS`, `FCGI_GET_VALUES`; the
 * specification's section 3.4) into a map, names and values as latin1 (one
 * char per byte, nothing lost; the environ builder re-reads `PATH_INFO` as
 * UTF-8). A name given twice takes its last value, as FastCGI applications
 * have always read Nginx's repeated `fastcgi_param` lines, except that a name
 * of `SINGLE_VARS` (the ones that frame the body or name the request) given
 * again with another value is malformed. Throws `MalformedRecordError` on
 * that, on a length that runs past the block and on an empty name.
 *
 * @example
 * decodeParams(Buffer.from([4, 1, ...Buffer.from('NAMEv')])); // Map { 'NAME' => 'v' }
 */
export function decodeParams(block: Uint8Array): Map<string, string> {
  const pairs = new Map<string, string>();
  const bytes = Buffer.from(block.buffer, block.byteOffset, block.byteLength);
  const size = bytes.byteLength;
  // One char per byte: values are cut out of the block decoded once; names come from a cache.
  const text = bytes.toString('latin1');
  let at = 0;
  while (at < size) {
    // Each length: 1 byte below 128, else 4 bytes with the top bit set.
    let nameLength = bytes[at]!;
    if (nameLength < 0x80) at += 1;
    else if (at + 4 <= size) {
      nameLength = bytes.readUInt32BE(at) & 0x7fffffff;
      at += 4;
    } else throw new MalformedRecordError('a name-value length runs past the block');
    let valueLength = bytes[at] ?? -1;
    if (valueLength === -1)
      throw new MalformedRecordError('a name-value length runs past the block');
    if (valueLength < 0x80) at += 1;
    else if (at + 4 <= size) {
      valueLength = bytes.readUInt32BE(at) & 0x7fffffff;
      at += 4;
    } else throw new MalformedRecordError('a name-value length runs past the block');
    if (nameLength === 0) throw new MalformedRecordError('a name-value pair has an empty name');
    if (at + nameLength + valueLength > size) {
      throw new MalformedRecordError('a name-value pair runs past the block');
    }
    const name = varName(bytes, at, at + nameLength);
    at += nameLength;
    const value = valueLength === 0 ? '' : text.slice(at, at + valueLength);
    at += valueLength;
    const before = pairs.get(name);
    if (before !== undefined && before !== value && SINGLE_VARS.has(name)) {
      throw new MalformedRecordError(`${name} is given twice with different values`);
    }
    pairs.set(name, value);
  }
  return pairs;
}

/** Encodes `pairs` as FastCGI name-value pairs (for `FCGI_GET_VALUES_RESULT`), latin1. */
export function encodeParams(pairs: Iterable<readonly [string, string]>): Buffer {
  const parts: Buffer[] = [];
  const length = (n: number) => {
    if (n < 0x80) return Buffer.of(n);
    const out = Buffer.allocUnsafe(4);
    out.writeUInt32BE((n | 0x80000000) >>> 0);
    return out;
  };
  for (const [name, value] of pairs) {
    const nameBytes = Buffer.from(name, 'latin1');
    const valueBytes = Buffer.from(value, 'latin1');
    parts.push(length(nameBytes.byteLength), length(valueBytes.byteLength), nameBytes, valueBytes);
  }
  return Buffer.concat(parts);
}
