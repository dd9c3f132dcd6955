import { EventEmitter } from 'node:events';
import { getSystemErrorName } from 'node:util';
import { type RequestOwner, shutdown, writeRequest } from './libuv-requests.js';
import type { StreamBinding, StreamHandle, WriteRequest } from './stream-binding.js';

/** Bytes queued in libuv past which `write` returns false (net.Socket's high-water mark). */
const HIGH_WATER = 65_536;

/**
 * The write side of a `RawSocket`: writes handed to libuv as they come (or
 * gathered by `cork` into one `writev`), their callbacks, the high-water mark
 * and `'drain'` as a `net.Socket` has them, the FIN (`end`) and the close once
 * the last write is out (`destroySoon`). `RawSocket` adds reading, the
 * timeout and the close itself.
 */
export abstract class RawWriter extends EventEmitter implements RequestOwner {
  destroyed = false;
  writableEnded = false;
  writableFinished = false;
  bytesWritten = 0;
  protected readonly handle: StreamHandle;
  protected readonly binding: StreamBinding;
  /** The peer's FIN came. */
  protected readEnded = false;
  /** The inactivity timer of `setTimeout`, refreshed by every read and write. */
  protected timer: NodeJS.Timeout | undefined;
  /** Asynchronous writes not completed yet. */
  private pending = 0;
  private needDrain = false;
  /** `destroySoon` was called: close once the last write is out. */
  private closeWhenWritten = false;
  private corks = 0;
  /** Writes held by `cork`, their size, and their callbacks. */
  private corked: Uint8Array[] | undefined;
  private corkedBytes = 0;
  private corkedDone: Array<() => void> | undefined;

  constructor(handle: StreamHandle, binding: StreamBinding) {
    super();
    this.handle = handle;
    this.binding = binding;
  }

  /** Closes at once. */
  abstract destroy(): this;

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
    this.uncorkAll();
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
    this.uncorkAll();
    this.closeWhenWritten = true;
    if (this.pending === 0) this.writtenAndClose();
  }

  cork(): void {
    this.corks++;
  }

  uncork(): void {
    if (this.corks > 0 && --this.corks === 0) this.flush();
  }

  /** Sends what `cork` holds whatever the cork count (the socket is ending). */
  private uncorkAll(): void {
    if (this.corks > 0) {
      this.corks = 0;
      this.flush();
    }
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
}

function call(callback: () => void): void {
  callback();
}

function emitDrain(socket: RawWriter): void {
  if (!socket.destroyed) socket.emit('drain');
}
