import { Readable } from 'node:stream';
import type { WireSocket } from '../wire/wire-socket.js';

/**
 * The request body of a uwsgi packet: exactly `CONTENT_LENGTH` bytes that
 * follow the vars block on the connection. It reads from the socket only
 * while its consumer wants more (the socket stays paused otherwise, so a
 * slow application pushes back on Nginx), never past `CONTENT_LENGTH`, and
 * fails when the connection ends first. `RequestInput` wraps it as `tsgi.input`.
 * It always has an `'error'` listener of its own, so that failure, when the
 * app never reads the body, is no unhandled `'error'` event ending the process.
 */
export class UwsgiBody extends Readable {
  private remaining: number;
  private readonly socket: WireSocket;
  private readonly onData = (chunk: Buffer) => this.accept(chunk);
  private readonly onEnd = () => {
    if (this.remaining > 0) {
      this.destroy(new Error(`connection closed with ${this.remaining} body bytes unsent`));
    }
  };

  /** `head` holds body bytes that came in the same read as the vars block. */
  constructor(socket: WireSocket, length: number, head: Buffer) {
    super({ highWaterMark: 65_536 });
    this.socket = socket;
    this.remaining = length;
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    this.on('error', ignore);
    if (head.byteLength > 0) this.accept(head);
  }

  /** Bytes of the body not received yet. */
  get pending(): number {
    return this.remaining;
  }

  private accept(chunk: Buffer): void {
    if (this.remaining === 0) return;
    const piece = chunk.byteLength > this.remaining ? chunk.subarray(0, this.remaining) : chunk;
    this.remaining -= piece.byteLength;
    const more = this.push(piece);
    if (this.remaining === 0) {
      this.push(null);
      this.detach();
    } else if (!more) {
      this.socket.pause();
    }
  }

  override _read(): void {
    if (this.remaining > 0) this.socket.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.detach();
    callback(error);
  }

  private detach(): void {
    this.socket.removeListener('data', this.onData);
    this.socket.removeListener('end', this.onEnd);
    this.socket.removeListener('close', this.onEnd);
  }
}

/** The body's own `'error'` listener: the failure is read from the stream by `tsgi.input`. */
function ignore(): void {}
