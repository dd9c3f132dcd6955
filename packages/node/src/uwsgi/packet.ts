import { SINGLE_VARS } from '../cgi/var-checks.js';
import { varName } from '../cgi/var-names.js';

/**
 * The uwsgi packet header: 1 byte `modifier1`, a 16-bit little-endian size of
 * the vars block, 1 byte `modifier2`. Nginx's `uwsgi_pass` sends modifier1 0
 * (unless `uwsgi_modifier1` says otherwise) and modifier2 0.
 */
export interface PacketHeader {
  readonly modifier1: number;
  readonly size: number;
  readonly modifier2: number;
}

/** Bytes in the fixed header. */
export const HEADER_SIZE = 4;

/** The header at the start of `buffer`, or `undefined` while fewer than 4 bytes arrived. */
export function readHeader(buffer: Uint8Array): PacketHeader | undefined {
  if (buffer.byteLength < HEADER_SIZE) return undefined;
  return {
    modifier1: buffer[0]!,
    size: buffer[1]! | (buffer[2]! << 8),
    modifier2: buffer[3]!,
  };
}

/** A vars block that does not parse; the connection is closed without an answer. */
export class MalformedPacketError extends Error {
  override name = 'MalformedPacketError';
}

/**
 * Parses a vars block: repeated (16-bit LE key length, key, 16-bit LE value
 * length, value). Keys and values are decoded as latin1 (one char per byte),
 * so nothing is lost; the environ builder re-decodes `PATH_INFO` as UTF-8.
 * A key seen twice keeps its first value (Nginx puts explicit `uwsgi_param`s
 * before the request headers), except that a key of `SINGLE_VARS` seen again
 * with another value is malformed. Throws `MalformedPacketError` on that, on
 * a length that runs past the block and on an empty key.
 */
export function parseVars(block: Uint8Array): Map<string, string> {
  const vars = new Map<string, string>();
  const bytes = Buffer.from(block.buffer, block.byteOffset, block.byteLength);
  const end = bytes.byteLength;
  let at = 0;
  while (at < end) {
    if (at + 2 > end) throw new MalformedPacketError('truncated key length in the vars block');
    const keyLength = bytes.readUInt16LE(at);
    at += 2;
    if (keyLength === 0) throw new MalformedPacketError('empty key in the vars block');
    if (at + keyLength > end) throw new MalformedPacketError('key runs past the vars block');
    const key = varName(bytes, at, at + keyLength);
    at += keyLength;
    if (at + 2 > end) throw new MalformedPacketError(`truncated value length for ${key}`);
    const valueLength = bytes.readUInt16LE(at);
    at += 2;
    if (at + valueLength > end) {
      throw new MalformedPacketError(`value of ${key} runs past the vars block`);
    }
    const value = bytes.toString('latin1', at, at + valueLength);
    at += valueLength;
    const first = vars.get(key);
    if (first === undefined) vars.set(key, value);
    else if (first !== value && SINGLE_VARS.has(key)) {
      throw new MalformedPacketError(`${key} appears twice with different values`);
    }
  }
  return vars;
}

/**
 * Encodes a packet (header and vars block) as Nginx would send it; the
 * tests and the benchmark use it to talk uwsgi without Nginx.
 *
 * @example
 * socket.write(encodePacket({ REQUEST_METHOD: 'GET', PATH_INFO: '/' }));
 */
export function encodePacket(vars: Record<string, string>, modifier1 = 0, modifier2 = 0): Buffer {
  const parts: Buffer[] = [];
  for (const [key, value] of Object.entries(vars)) {
    const k = Buffer.from(key, 'latin1');
    const v = Buffer.from(value, 'latin1');
    const lengths = Buffer.alloc(2);
    lengths.writeUInt16LE(k.byteLength);
    const valueLength = Buffer.alloc(2);
    valueLength.writeUInt16LE(v.byteLength);
    parts.push(lengths, k, valueLength, v);
  }
  const block = Buffer.concat(parts);
  if (block.byteLength > 0xffff)
    throw new RangeError('uwsgi vars block is larger than 65535 bytes');
  const header = Buffer.from([
    modifier1,
    block.byteLength & 0xff,
    block.byteLength >> 8,
    modifier2,
  ]);
  return Buffer.concat([header, block]);
}
