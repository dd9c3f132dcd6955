/**
 * RFC 6455 frames as the conformance client writes and reads them: a masked
 * frame writer that can set any bit (reserved bits, reserved opcodes, a lying
 * FIN) and an incremental reader for the server's frames.
 */
import { randomBytes } from 'node:crypto';

/** The opcodes RFC 6455 §5.2 defines. */
export const OP = {
  continuation: 0,
  text: 1,
  binary: 2,
  close: 8,
  ping: 9,
  pong: 10,
} as const;

/** One frame to write: every field a case may want to get wrong. */
export interface FrameSpec {
  /** 0–15; reserved ones included. */
  opcode: number;
  /** The payload (default empty). */
  payload?: Uint8Array | string;
  /** FIN bit (default true). */
  fin?: boolean;
  /** RSV1–3 as a number 0–7 (RSV1 = 4, RSV2 = 2, RSV3 = 1), default 0. */
  rsv?: number;
  /** Mask the payload, as a client must (default true). */
  mask?: boolean;
}

/** The bytes of `payload`: strings as UTF-8. */
export function bytesOf(payload: Uint8Array | string | undefined): Uint8Array {
  if (payload === undefined) return new Uint8Array(0);
  return typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
}

/** Encodes one frame, masked with a fresh random key unless `mask: false`. */
export function encodeFrame(spec: FrameSpec): Buffer {
  const payload = bytesOf(spec.payload);
  const length = payload.byteLength;
  const masked = spec.mask !== false;
  const extended = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const head = Buffer.alloc(2 + extended + (masked ? 4 : 0));
  head[0] = ((spec.fin === false ? 0 : 1) << 7) | (((spec.rsv ?? 0) & 7) << 4) | (spec.opcode & 15);
  head[1] = (masked ? 0x80 : 0) | (extended === 0 ? length : extended === 2 ? 126 : 127);
  if (extended === 2) head.writeUInt16BE(length, 2);
  if (extended === 8) head.writeBigUInt64BE(BigInt(length), 2);
  const body = Buffer.from(payload);
  if (masked) {
    const key = randomBytes(4);
    key.copy(head, 2 + extended);
    for (let i = 0; i < body.length; i++) body[i]! ^= key[i & 3]!;
  }
  return Buffer.concat([head, body]);
}

/** A close frame's payload: the code (if any) then the reason's bytes. */
export function closePayload(code?: number, reason: Uint8Array | string = ''): Uint8Array {
  if (code === undefined) return bytesOf(reason);
  const head = Buffer.alloc(2);
  head.writeUInt16BE(code);
  return Buffer.concat([head, bytesOf(reason)]);
}

/** One frame as read from the server. */
export interface ReadFrame {
  fin: boolean;
  rsv: number;
  opcode: number;
  masked: boolean;
  payload: Buffer;
}

/**
 * Reads frames out of a byte stream fed in arbitrary pieces. A frame whose
 * header is impossible to hold (a 64-bit length with the top bit set) is a
 * protocol error reported by `push()` throwing.
 */
export class FrameReader {
  private buffered: Buffer[] = [];
  private size = 0;
  /** Bytes the frame at the head needs in all, once its header is known. */
  private needed = 2;

  /** Adds received bytes; returns every frame now complete, in order. */
  push(chunk: Buffer): ReadFrame[] {
    this.buffered.push(chunk);
    this.size += chunk.length;
    const frames: ReadFrame[] = [];
    for (;;) {
      const frame = this.next();
      if (frame === undefined) return frames;
      frames.push(frame);
    }
  }

  private next(): ReadFrame | undefined {
    if (this.size < this.needed) return undefined;
    const data = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered);
    this.buffered = [data];
    const b0 = data[0]!;
    const b1 = data[1]!;
    const masked = (b1 & 0x80) !== 0;
    let length = b1 & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (data.length < 4) return this.wait(4);
      length = data.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (data.length < 10) return this.wait(10);
      const big = data.readBigUInt64BE(2);
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`frame length ${big} is too big`);
      length = Number(big);
      offset = 10;
    }
    const keyAt = offset;
    if (masked) offset += 4;
    if (data.length < offset + length) return this.wait(offset + length);
    const payload = Buffer.from(data.subarray(offset, offset + length));
    if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= data[keyAt + (i & 3)]!;
    const rest = data.subarray(offset + length);
    this.buffered = rest.length > 0 ? [rest] : [];
    this.size = rest.length;
    this.needed = 2;
    return { fin: (b0 & 0x80) !== 0, rsv: (b0 >> 4) & 7, opcode: b0 & 15, masked, payload };
  }

  private wait(needed: number): undefined {
    this.needed = needed;
    return undefined;
  }
}
