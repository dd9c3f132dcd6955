import { RawWriter } from './raw-writer.js';
import type { StreamBinding, StreamHandle } from './stream-binding.js';
import type { WireSocket } from './wire-socket.js';

const UV_EOF = -4095;
/** Bytes read and held while paused past which reading stops (net.Socket's readable high-water mark). */
const READ_HIGH_WATER = 65_536;

const OWNER = Symbol('raw socket');
type OwnedHandle = StreamHandle & { [OWNER]: RawSocket };

/**
 * One accepted connection driven straight through its libuv handle, without a
 * `net.Socket`: no stream states, no buffering of reads, no per-write
 * callbacks or `process.nextTick` hops. It behaves like a `net.Socket` made
 * with `allowHalfOpen` for what `WireSocket` covers: the peer's FIN emits
 * `'end'` and leaves our side open, `end()` sends the FIN after every write,
 * and the connection closes itself once both sides ended. Like a `net.Socket`,
 * a paused one goes on reading into a buffer until it holds `READ_HIGH_WATER`
 * bytes, so a peer that resets or ends the connection while the app works is
 * seen at once. Reads, writes and
 * closes are the same system calls `net.Socket` makes; what is saved is the
 * JavaScript around them, which dominates a uwsgi exchange (one connection per
 * request). Made by `acceptRawSockets`; its write side is `RawWriter`.
 */
export class RawSocket extends RawWriter implements WireSocket {
  closed = false;
  bytesRead = 0;
  protected override readonly handle: OwnedHandle;
  private readonly onClosed: () => void;
  /** False while paused. */
  private flowing = true;
  /** True while libuv reads for us. */
  private handleReading = true;
  /** Reads held while paused, and their size. */
  private held: Buffer[] | undefined;
  private heldBytes = 0;
  /** The FIN came while paused: `'end'` is due after the held reads. */
  private endHeld = false;
  private sockname: Record<string, unknown> | null | undefined;

  /** Starts reading `handle`; `onClosed` runs once it is closed, before `'close'`. */
  constructor(handle: StreamHandle, binding: StreamBinding, onClosed: () => void) {
    super(handle, binding);
    this.handle = handle as OwnedHandle;
    this.onClosed = onClosed;
    this.handle[OWNER] = this;
    handle.onread = onRead;
    const error = handle.readStart();
    if (error < 0) process.nextTick(() => this.fail(error));
  }

  /** Emits `'timeout'` after `ms` without traffic (0: never), as `net.Socket#setTimeout` does. */
  setTimeout(ms: number): this {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (ms > 0 && !this.destroyed) {
      this.timer = setTimeout(onIdle, ms, this);
      this.timer.unref();
    }
    return this;
  }

  /**
   * Closes at once. libuv closes the descriptor inside `close` (only freeing
   * the handle waits for the loop), so the socket counts as closed right away
   * and no JavaScript callback is asked for; `'close'` follows on the next tick.
   */
  override destroy(): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.handle.close();
    this.closed = true;
    this.onClosed();
    process.nextTick(emitClose, this);
    return this;
  }

  pause(): this {
    this.flowing = false;
    return this;
  }

  resume(): this {
    if (this.flowing) return this;
    this.flowing = true;
    const held = this.held;
    if (held !== undefined) {
      this.held = undefined;
      this.heldBytes = 0;
      for (let i = 0; i < held.length; i++) {
        if (!this.flowing || this.destroyed) {
          // Paused again by a 'data' listener: keep the rest for the next resume.
          this.hold(held.slice(i));
          return this;
        }
        this.emit('data', held[i]);
      }
    }
    if (this.destroyed || !this.flowing) return this;
    if (this.endHeld) {
      this.endHeld = false;
      this.ended();
    } else if (!this.handleReading && !this.readEnded) {
      this.handleReading = true;
      this.handle.readStart();
    }
    return this;
  }

  /** The listener's address on TCP; `undefined` on a Unix socket. */
  get localAddress(): string | undefined {
    return this.ownName()?.address as string | undefined;
  }

  /** The listener's port on TCP; `undefined` on a Unix socket. */
  get localPort(): number | undefined {
    return this.ownName()?.port as number | undefined;
  }

  /** A read of `length` bytes at `offset` of `buffer`, the FIN or an error (the shared `onread`). */
  readResult(buffer: ArrayBuffer | undefined): void {
    const state = this.binding.state;
    const length = state[this.binding.readBytesOrError]!;
    if (length > 0 && buffer !== undefined) {
      this.bytesRead += length;
      this.timer?.refresh();
      const chunk = Buffer.from(buffer, state[this.binding.arrayBufferOffset]!, length);
      if (this.flowing) this.emit('data', chunk);
      else this.hold([chunk]);
    } else if (length === UV_EOF) {
      this.readEnded = true;
      this.handleReading = false;
      if (this.flowing) this.ended();
      else this.endHeld = true;
    } else if (length < 0) {
      this.fail(length);
    }
  }

  /** Keeps `chunks` for the next `resume`; stops reading past the high-water mark. */
  private hold(chunks: Buffer[]): void {
    this.held ??= [];
    const held = this.held;
    for (const chunk of chunks) {
      held.push(chunk);
      this.heldBytes += chunk.byteLength;
    }
    if (this.heldBytes >= READ_HIGH_WATER && this.handleReading && !this.destroyed) {
      this.handleReading = false;
      this.handle.readStop();
    }
  }

  private ended(): void {
    this.emit('end');
    if (this.writableFinished) this.destroy();
  }

  private ownName(): Record<string, unknown> | null {
    if (this.sockname === undefined) {
      const out: Record<string, unknown> = {};
      this.sockname = this.handle.getsockname?.(out) === 0 ? out : null;
    }
    return this.sockname;
  }
}

function onRead(this: OwnedHandle, buffer: ArrayBuffer | undefined): void {
  this[OWNER].readResult(buffer);
}

function onIdle(socket: RawSocket): void {
  socket.emit('timeout');
}

function emitClose(socket: RawSocket): void {
  socket.emit('close');
}
