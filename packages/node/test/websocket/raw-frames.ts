/**
 * A WebSocket client made of raw bytes, for the tests that send what no
 * well-behaved client would: unmasked frames, reserved opcodes and bits,
 * fragmented control frames, bad UTF-8, a header announcing a huge payload.
 */
import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { BOUNDS, until } from '../../../../tools/test-support/index.ts';

/** Frame opcodes (RFC 6455 §5.2). */
export const OP = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

/** One frame to write. */
export interface RawFrame {
  opcode: number;
  payload?: Uint8Array | string;
  /** FIN, default true. */
  fin?: boolean;
  /** The three reserved bits as a number 0–7 (RSV1 = 4, RSV2 = 2, RSV3 = 1), default 0. */
  rsv?: number;
  /** Mask the payload as a client must, default true. */
  masked?: boolean;
  /** Write only the header, announcing this payload length, and no payload at all. */
  headerOnly?: number;
}

/** Encodes `frame` as it goes on the wire. */
export function encodeFrame(frame: RawFrame): Buffer {
  const payload =
    typeof frame.payload === 'string'
      ? Buffer.from(frame.payload)
      : Buffer.from(frame.payload ?? new Uint8Array());
  const masked = frame.masked ?? true;
  const length = frame.headerOnly ?? payload.byteLength;
  const first = ((frame.fin ?? true) ? 0x80 : 0) | ((frame.rsv ?? 0) << 4) | frame.opcode;
  let header: Buffer;
  if (length < 126) header = Buffer.from([first, length]);
  else if (length < 0x10000) {
    header = Buffer.alloc(4);
    header.writeUInt16BE(length, 2);
    header[1] = 126;
  } else {
    header = Buffer.alloc(10);
    header.writeBigUInt64BE(BigInt(length), 2);
    header[1] = 127;
  }
  header[0] = first;
  if (masked) header[1] = (header[1] ?? 0) | 0x80;
  const key = masked ? randomBytes(4) : Buffer.alloc(0);
  if (frame.headerOnly !== undefined) return Buffer.concat([header, key]);
  const body = Buffer.from(payload);
  if (masked) for (let i = 0; i < body.length; i++) body[i] = (body[i] ?? 0) ^ (key[i % 4] ?? 0);
  return Buffer.concat([header, key, body]);
}

/** A frame the server sent (servers never mask). */
export interface ServerFrame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** Splits whole server frames off the front of `buffer`; returns them and the rest. */
function parseFrames(buffer: Buffer): { frames: ServerFrame[]; rest: Buffer } {
  const frames: ServerFrame[] = [];
  let at = 0;
  for (;;) {
    if (buffer.length - at < 2) break;
    const first = buffer[at] ?? 0;
    let length = (buffer[at + 1] ?? 0) & 0x7f;
    let start = at + 2;
    if (length === 126) {
      if (buffer.length < start + 2) break;
      length = buffer.readUInt16BE(start);
      start += 2;
    } else if (length === 127) {
      if (buffer.length < start + 8) break;
      length = Number(buffer.readBigUInt64BE(start));
      start += 8;
    }
    if (buffer.length < start + length) break;
    frames.push({
      fin: (first & 0x80) !== 0,
      opcode: first & 0x0f,
      payload: buffer.subarray(start, start + length),
    });
    at = start + length;
  }
  return { frames, rest: buffer.subarray(at) };
}

/** How a raw connection went, from the client's side. */
export interface RawOutcome {
  /** Data frames the server sent before closing: text as a string, binary as its length. */
  messages: Array<string | { binary: number }>;
  /** The server's close frame, or null if none came. */
  close: { code: number | null; reason: string } | null;
  /** The server ended the TCP connection. */
  ended: boolean;
}

/** An open raw WebSocket connection, after a `101`. */
export class RawSocket {
  private pending: Buffer = Buffer.alloc(0);
  private readonly frames: ServerFrame[] = [];
  private ended = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.take(chunk));
    socket.on('end', () => {
      this.ended = true;
    });
    socket.on('close', () => {
      this.ended = true;
    });
    socket.on('error', () => {
      this.ended = true;
    });
  }

  /** Opens `ws://host:port/path` with a hand-written handshake; rejects unless the answer is a valid `101`. */
  static async open(port: number, path: string): Promise<RawSocket> {
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => {});
    const key = randomBytes(16).toString('base64');
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
    };
    socket.on('data', onData);
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    await until(() => head.includes('\r\n\r\n') || socket.destroyed, {
      what: `the handshake answer from port ${port}`,
      details: () => head.toString('latin1'),
    });
    socket.removeListener('data', onData);
    const end = head.indexOf('\r\n\r\n');
    const answer = head.subarray(0, Math.max(end, 0)).toString('latin1');
    const accept = createHash('sha1')
      .update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest('base64');
    const accepted = answer
      .split('\r\n')
      .some((line) => /^sec-websocket-accept:/i.test(line) && line.slice(21).trim() === accept);
    if (!answer.startsWith('HTTP/1.1 101 ') || !accepted) {
      socket.destroy();
      throw new Error(`not a valid 101 answer:\n${answer}`);
    }
    const raw = new RawSocket(socket);
    raw.take(head.subarray(end + 4));
    return raw;
  }

  private take(chunk: Buffer): void {
    const { frames, rest } = parseFrames(Buffer.concat([this.pending, chunk]));
    this.frames.push(...frames);
    this.pending = rest;
  }

  /** Writes frames (or any bytes) as they are. */
  write(...frames: Array<RawFrame | Buffer>): void {
    for (const frame of frames) {
      this.socket.write(Buffer.isBuffer(frame) ? frame : encodeFrame(frame));
    }
  }

  /** Waits until a data frame has come (bounded): the number of data frames seen. */
  async untilMessages(count: number): Promise<void> {
    await until(() => this.dataFrames().length >= count || this.ended, {
      what: `${count} message(s) from the server`,
      details: () => JSON.stringify(this.outcome()),
    });
  }

  /** Waits until the server has closed the TCP connection (bounded), then says what came. */
  async untilEnded(): Promise<RawOutcome> {
    await until(() => this.ended, {
      ms: BOUNDS.short,
      what: 'the server to close the connection',
      details: () => JSON.stringify(this.outcome()),
    });
    return this.outcome();
  }

  private dataFrames(): ServerFrame[] {
    return this.frames.filter((f) => f.opcode === OP.text || f.opcode === OP.binary);
  }

  /** What the server sent so far. */
  outcome(): RawOutcome {
    const closeFrame = this.frames.find((f) => f.opcode === OP.close);
    return {
      messages: this.dataFrames().map((f) =>
        f.opcode === OP.text ? f.payload.toString('utf8') : { binary: f.payload.length },
      ),
      close:
        closeFrame === undefined
          ? null
          : {
              code: closeFrame.payload.length >= 2 ? closeFrame.payload.readUInt16BE(0) : null,
              reason: closeFrame.payload.subarray(2).toString('utf8'),
            },
      ended: this.ended,
    };
  }

  /** Drops the connection (cleanup). */
  destroy(): void {
    this.socket.destroy();
  }
}
