import { EventEmitter } from 'node:events';
import { getSystemErrorName } from 'node:util';
import { type RequestOwner, shutdown, writeRequest } from './requests.js';
import type { StreamBinding, StreamHandle, WriteRequest } from './stream-binding.js';
import type { WireSocket } from './wire-socket.js';

const UV_EOF = -4095;
/** Bytes queued in libuv past which `write` returns false (net.Socket's high-water mark). */
const HIGH_WATER = 65_536;
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
 * request). Made by `acceptRawSockets`.
 */
export class RawSocket extends EventEmitter implements WireSocket, RequestOwner {
  destroyed = false;
  writableEnded = false;
  writableFinished = false;
  closed = false;
  bytesRead = 0;
  bytesWritten = 0;
  private readonly handle: OwnedHandle;
  private readonly binding: StreamBinding;
  private readonly onClosed: () => void;
  /** False while paused. */
  private flowing = true;
  /** True while libuv reads for us. */
  private handleReading = true;
  /** Reads held while paused, and their size. */
  private held: Buffer[] | undefined;
  private heldBytes = 0;
  /** The peer's FIN came. */
  private readEnded = false;
  /** The FIN came while paused: `'end'` is due after the held reads. */
  private endHeld = false;
  /** Asynchronous writes not completed yet. */
  private pending = 0;
  private needDrain = false;
  /** `destroySoon` was called: close once the last write is out. */
  private closeWhenWritten = false;
  private corks = 0;
  private corked: Uint8Array[] | undefined;
  private sockname: Record<string, unknown> | null | undefined;
  /** The inactivity timer of `setTimeout`, refreshed by every read and write. */
  private timer: NodeJS.Timeout | undefined;
  /** Bytes held by `cork`, and the callbacks of those writes. */
  private corkedBytes = 0;
  private corkedDone: Array<() => void> | undefined;

  /** Starts reading `handle`; `onClosed` runs once it is closed, before `'close'`. */
  constructor(handle: StreamHandle, binding: StreamBinding, onClosed: () => void) {
    super();
    this.handle = handle as OwnedHandle;
    this.binding = binding;
    this.onClosed = onClosed;
    this.handle[OWNER] = this;
    handle.onread = onRead;
    const error = handle.readStart();
    if (error < 0) process.nextTick(() => this.fail(error));
  }

  write(chunk: Uint8Array | string, encodingOrDone?: 'latin1' | (() => void)): boolean {
    if (this.destroyed || this.writableEnded) return false;
    this.timer?.refresh();
    const done = typeof encodingOrDone === 'function' ? encodingOrDone : undefined;
    if (this.corks > 0) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
      this.corked ??= [];
      this.corked.push(bytes);
      this.corkedBytes += bytes.byteLength;
      if (done !== undefined) {
        this.corkedDone ??= [];
        this.corkedDone.push(done);
      }
      return this.roomLeft();
    }
    return this.send(chunk, done);
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

  /** Bytes queued by libuv or held by `cork`, not yet handed to the kernel. */
  get writableLength(): number {
    return this.handle.writeQueueSize + this.corkedBytes;
  }

  /** `writableLength` past which `write` returns false. */
  get writableHighWaterMark(): number {
    return HIGH_WATER;
  }

  end(chunk?: Uint8Array | string, encoding?: 'latin1'): this {
    if (this.writableEnded || this.destroyed) return this;
    if (chunk !== undefined) this.write(chunk, encoding);
    this.writableEnded = true;
    if (this.corks > 0) {
      this.corks = 0;
      this.flush();
    }
    if (!this.destroyed) shutdown(this.binding, this.handle, this);
    return this;
  }

  /**
   * Closes once every write is out, without a `shutdown` first: closing sends
   * the FIN after the data. For a peer that sent everything it will send.
   */
  destroySoon(): void {
    if (this.destroyed) return;
    this.writableEnded = true;
    if (this.corks > 0) {
      this.corks = 0;
      this.flush();
    }
    this.closeWhenWritten = true;
    if (this.pending === 0) this.writtenAndClose();
  }

  /**
   * Closes at once. libuv closes the descriptor inside `close` (only freeing
   * the handle waits for the loop), so the socket counts as closed right away
   * and no JavaScript callback is asked for; `'close'` follows on the next tick.
   */
  destroy(): this {
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

  cork(): void {
    this.corks++;
  }

  uncork(): void {
    if (this.corks > 0 && --this.corks === 0) this.flush();
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

  /** An asynchronous write completed with `status`. */
  written(status: number, done: (() => void) | undefined): void {
    this.pending--;
    if (this.destroyed) return;
    this.timer?.refresh();
    if (status < 0) {
      this.fail(status);
      return;
    }
    done?.();
    if (this.pending === 0 && this.closeWhenWritten) {
      this.writtenAndClose();
      return;
    }
    if (this.pending === 0 && this.needDrain) {
      this.needDrain = false;
      this.emit('drain');
    }
  }

  private writtenAndClose(): void {
    this.writableFinished = true;
    this.destroy();
  }

  /** The FIN went out after the last write. */
  finished(): void {
    if (this.destroyed || this.writableFinished) return;
    this.writableFinished = true;
    this.emit('finish');
    if (this.readEnded) this.destroy();
  }

  /** Reports a libuv error `code` to `'error'` listeners, if any, and closes. */
  fail(code: number): void {
    if (this.destroyed) return;
    if (this.listenerCount('error') > 0) {
      const error = new Error(`${getSystemErrorName(code)} on a raw socket`);
      (error as NodeJS.ErrnoException).code = getSystemErrorName(code);
      this.emit('error', error);
    }
    this.destroy();
  }

  private send(chunk: Uint8Array | string, done: (() => void) | undefined): boolean {
    const request = writeRequest(this.binding, this.handle, this);
    const error =
      typeof chunk === 'string'
        ? this.handle.writeLatin1String(request, chunk)
        : this.handle.writeBuffer(request, chunk);
    this.bytesWritten += typeof chunk === 'string' ? chunk.length : chunk.byteLength;
    return this.dispatched(request, error, chunk, done);
  }

  private flush(): void {
    const chunks = this.corked;
    const callbacks = this.corkedDone;
    this.corked = undefined;
    this.corkedDone = undefined;
    this.corkedBytes = 0;
    if (chunks === undefined || this.destroyed) return;
    const done = callbacks === undefined ? undefined : () => callbacks.forEach(call);
    if (chunks.length === 1) {
      this.send(chunks[0]!, done);
      return;
    }
    const request = writeRequest(this.binding, this.handle, this);
    const error = this.handle.writev(request, chunks, true);
    for (const chunk of chunks) this.bytesWritten += chunk.byteLength;
    this.dispatched(request, error, chunks, done);
  }

  /** After a write was handed to libuv: keeps its data while it is in flight; true when more may be written. */
  private dispatched(
    request: WriteRequest,
    error: number,
    data: unknown,
    done: (() => void) | undefined,
  ): boolean {
    if (error !== 0) {
      this.fail(error);
      return false;
    }
    if (this.binding.state[this.binding.lastWriteWasAsync] !== 0) {
      request.async = true;
      request.buffer = data;
      request.done = done;
      this.pending++;
    } else if (done !== undefined) {
      // Written at once: the callback still comes after `write` returns, as with net.Socket.
      process.nextTick(done);
    }
    if (this.pending === 0 && this.needDrain && this.writableLength < HIGH_WATER) {
      // A write that filled the buffer (while corked) went out at once: 'drain' is due.
      this.needDrain = false;
      process.nextTick(emitDrain, this);
    }
    return this.roomLeft();
  }

  /** True while under the high-water mark; past it, `'drain'` is owed once the queue empties. */
  private roomLeft(): boolean {
    if (this.writableLength < HIGH_WATER) return true;
    this.needDrain = true;
    return false;
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

function call(callback: () => void): void {
  callback();
}

function emitDrain(socket: RawSocket): void {
  if (!socket.destroyed) socket.emit('drain');
}

function onIdle(socket: RawSocket): void {
  socket.emit('timeout');
}

function emitClose(socket: RawSocket): void {
  socket.emit('close');
}
