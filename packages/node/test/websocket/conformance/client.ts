/**
 * The conformance suite's own WebSocket client, over node:net: it writes any
 * frame a case asks for (in one write, frame-wise or chopped), reads and
 * checks the server's frames, keeps what it saw in order, and tracks the
 * closing handshake the way Autobahn's fuzzing client grades it.
 */
import type { Socket } from 'node:net';
import type { Received } from './events.js';
import {
  closePayload,
  encodeFrame,
  FrameReader,
  type FrameSpec,
  OP,
  type ReadFrame,
} from './frames.js';
import { handshake } from './handshake.js';

/** How bytes go onto the socket. */
export interface WriteOptions {
  /** Split the bytes into writes of this many octets, each flushed before the next. */
  chop?: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * One client connection. Every wait is bounded by the caller's `ms`; a wait
 * that runs out resolves false instead of throwing, and the grading says why.
 */
export class RawConnection {
  /** What the server sent (and marks the case added), in order; sync pongs left out. */
  readonly events: Received[] = [];
  /** Things the server did that RFC 6455 forbids a server to do. */
  readonly problems: string[] = [];
  /** The close frame the server sent, if any. */
  closeReceived: { code: number | undefined; reason: string } | undefined;
  /** True once the client has sent a close frame. */
  closeSent = false;
  /** Who sent the first close frame: true for the client. Undefined while none went. */
  closedByMe: boolean | undefined;
  /** The server ended its side of the TCP connection (FIN) or it reset. */
  tcpEnded = false;
  /** The socket is fully closed. */
  tcpClosed = false;
  /** The client gave up waiting for the server to close the TCP connection. */
  droppedByMe = false;
  /** The client destroyed the socket (after `finish()` gave up, or at a case's deadline). */
  private destroyedByMe = false;
  /** How many frames the client wrote, by FIN bit (for the auto-fragmentation case). */
  readonly framesSent = { fin: 0, more: 0 };

  private readonly reader = new FrameReader();
  private fragments: Buffer[] = [];
  private fragmentOpcode: number | undefined;
  private waiters = new Set<() => void>();
  private syncCount = 0;
  private readonly syncPongs = new Set<string>();

  private constructor(private readonly socket: Socket) {}

  /** Opens a connection to `url` (ws://host:port/path) and completes the opening handshake. */
  static async open(url: string, ms: number): Promise<RawConnection> {
    const { socket, rest } = await handshake(url, ms);
    const connection = new RawConnection(socket);
    connection.attach(rest);
    return connection;
  }

  private attach(rest: Buffer): void {
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    // The server ended the connection (FIN, or a reset): with no close frame
    // before it, the server is the side that closed, as Autobahn counts it.
    const ended = () =>
      this.changed(() => {
        this.tcpEnded = true;
        if (!this.destroyedByMe) this.closedByMe ??= false;
      });
    this.socket.on('end', ended);
    // A reset or a write after the server closed: the connection is over either way.
    this.socket.on('error', ended);
    this.socket.on('close', () => {
      ended();
      this.changed(() => (this.tcpClosed = true));
    });
    if (rest.length > 0) this.onData(rest);
  }

  private changed(update: () => unknown): void {
    update();
    for (const wake of [...this.waiters]) wake();
  }

  private onData(chunk: Buffer): void {
    let frames: ReadFrame[];
    try {
      frames = this.reader.push(chunk);
    } catch (error) {
      this.problems.push((error as Error).message);
      this.destroy();
      return;
    }
    this.changed(() => {
      for (const frame of frames) this.onFrame(frame);
    });
  }

  private onFrame(frame: ReadFrame): void {
    if (this.closeReceived)
      return void this.problems.push(`a frame (opcode ${frame.opcode}) after the close frame`);
    if (frame.masked) this.problems.push(`a masked frame (opcode ${frame.opcode})`);
    if (frame.rsv !== 0)
      this.problems.push(`reserved bits ${frame.rsv} set (opcode ${frame.opcode})`);
    const control = frame.opcode >= 8;
    if (control && (!frame.fin || frame.payload.length > 125))
      this.problems.push(`a fragmented or over-long control frame (opcode ${frame.opcode})`);
    switch (frame.opcode) {
      case OP.ping:
        this.events.push({ type: 'ping', data: frame.payload });
        if (!this.closeSent) this.write(encodeFrame({ opcode: OP.pong, payload: frame.payload }));
        return;
      case OP.pong: {
        const key = frame.payload.toString('latin1');
        if (this.syncPongs.delete(key)) return;
        this.events.push({ type: 'pong', data: frame.payload });
        return;
      }
      case OP.close:
        this.onClose(frame.payload);
        return;
      case OP.text:
      case OP.binary:
      case OP.continuation:
        this.onDataFrame(frame);
        return;
      default:
        this.problems.push(`a frame with reserved opcode ${frame.opcode}`);
    }
  }

  private onDataFrame(frame: ReadFrame): void {
    const continuing = this.fragmentOpcode !== undefined;
    if (frame.opcode === OP.continuation ? !continuing : continuing)
      return void this.problems.push(`a frame with opcode ${frame.opcode} out of sequence`);
    if (frame.opcode !== OP.continuation) this.fragmentOpcode = frame.opcode;
    this.fragments.push(frame.payload);
    if (!frame.fin) return;
    const data = this.fragments.length === 1 ? this.fragments[0]! : Buffer.concat(this.fragments);
    const binary = this.fragmentOpcode === OP.binary;
    this.fragments = [];
    this.fragmentOpcode = undefined;
    if (!binary) {
      try {
        utf8.decode(data);
      } catch {
        this.problems.push('a text message that is not valid UTF-8');
      }
      return void this.events.push({ type: 'message', binary: false, data });
    }
    this.events.push({ type: 'message', binary: true, data });
  }

  private onClose(payload: Buffer): void {
    if (payload.length === 1) this.problems.push('a close frame with a 1-octet payload');
    const code = payload.length >= 2 ? payload.readUInt16BE(0) : undefined;
    const reasonBytes = payload.subarray(2);
    let reason = '';
    try {
      reason = utf8.decode(reasonBytes);
    } catch {
      this.problems.push('a close reason that is not valid UTF-8');
    }
    this.closeReceived = { code, reason };
    if (this.closedByMe === undefined) this.closedByMe = false;
    // Answer a server-initiated close with its own code, as RFC 6455 §5.5.1 suggests.
    if (!this.closeSent) this.sendClose(code);
  }

  private write(bytes: Uint8Array): Promise<void> {
    if (this.socket.destroyed || this.socket.writableEnded) return Promise.resolve();
    return new Promise((resolve) => this.socket.write(bytes, () => resolve()));
  }

  /** Writes raw bytes (part of a frame, or several frames), optionally chopped. */
  async sendBytes(bytes: Uint8Array, options: WriteOptions = {}): Promise<void> {
    const chop = options.chop ?? bytes.length;
    if (chop >= bytes.length) return this.write(bytes);
    for (let at = 0; at < bytes.length && !this.tcpEnded; at += chop)
      await this.write(bytes.subarray(at, at + chop));
  }

  /** Writes one frame (masked unless it says otherwise). */
  sendFrame(spec: FrameSpec, options: WriteOptions = {}): Promise<void> {
    if (spec.fin === false) this.framesSent.more++;
    else this.framesSent.fin++;
    return this.sendBytes(encodeFrame(spec), options);
  }

  /** Writes several frames: in one write, or one flushed write per frame (`sync`). */
  async sendFrames(specs: FrameSpec[], options: WriteOptions & { sync?: boolean } = {}) {
    if (options.sync || options.chop !== undefined) {
      for (const spec of specs) await this.sendFrame(spec, options);
      return;
    }
    for (const spec of specs) spec.fin === false ? this.framesSent.more++ : this.framesSent.fin++;
    await this.sendBytes(Buffer.concat(specs.map(encodeFrame)));
  }

  /** Sends a close frame with `code` (none: an empty close) and `reason`. */
  sendClose(code?: number, reason: Uint8Array | string = ''): Promise<void> {
    return this.sendClosePayload(closePayload(code, reason));
  }

  /** Sends a close frame with exactly `payload` (malformed ones included). */
  sendClosePayload(payload: Uint8Array): Promise<void> {
    this.closedByMe ??= true;
    this.closeSent = true;
    return this.sendFrame({ opcode: OP.close, payload });
  }

  /** Adds a mark to the events: the case got to `label` with the connection open. */
  mark(label: string): void {
    this.events.push({ type: 'mark', label });
  }

  /** True while the server has neither sent a close frame nor ended the TCP connection. */
  get open(): boolean {
    return this.closeReceived === undefined && !this.tcpEnded;
  }

  /**
   * Waits until `check()` holds, re-checking on every frame and socket event;
   * resolves false if it still does not after `ms`.
   */
  until(check: () => boolean, ms: number): Promise<boolean> {
    if (check()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (result: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(result);
      };
      const wake = () => {
        if (check()) done(true);
      };
      const timer = setTimeout(() => done(check()), ms);
      this.waiters.add(wake);
    });
  }

  /**
   * Sends a ping of its own and waits for its pong: every frame written before
   * it has then been read by the server. Resolves 'open' on the pong, 'closed'
   * when the server closes first, 'timeout' after `ms`. The pong is not an event.
   */
  async sync(ms: number): Promise<'open' | 'closed' | 'timeout'> {
    const key = `sync-${++this.syncCount}`;
    this.syncPongs.add(key);
    await this.sendFrame({ opcode: OP.ping, payload: key });
    await this.until(() => !this.syncPongs.has(key) || !this.open, ms);
    if (!this.syncPongs.has(key)) return 'open';
    return this.open ? 'timeout' : 'closed';
  }

  /**
   * Ends the connection: waits for the closing handshake to complete and the
   * server to close the TCP connection (RFC 6455 §7.1.1: the server closes
   * first); drops it after `ms` if the server does not.
   */
  async finish(ms: number): Promise<void> {
    await this.until(() => this.tcpEnded, ms);
    if (!this.tcpEnded) this.droppedByMe = true;
    this.destroy();
    await this.until(() => this.tcpClosed, ms);
  }

  /** Destroys the socket at once (a case's hard deadline). */
  destroy(): void {
    this.destroyedByMe = true;
    this.socket.destroy();
  }

  /** True when both close frames went and the server closed the TCP connection. */
  get wasClean(): boolean {
    return this.closeSent && this.closeReceived !== undefined && this.tcpEnded && !this.droppedByMe;
  }
}
