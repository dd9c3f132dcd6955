import type { EventEmitter } from 'node:events';

/**
 * What the gateway listeners (uwsgi, FastCGI) need of a connection: the part of
 * `net.Socket` they use, so that a `net.Socket` and a `RawSocket` both serve.
 * Events: `'data'` (a `Buffer`), `'end'` (the peer's FIN), `'finish'` (our FIN
 * is sent), `'drain'`, `'timeout'`, `'error'` and `'close'` (once, last).
 */
export interface WireSocket extends EventEmitter {
  /**
   * Writes `chunk` (a string as latin1); false when the caller should wait
   * for `'drain'`. `done`, given instead of the encoding, runs once the bytes
   * are handed to the kernel (never before `write` returns).
   */
  write(chunk: Uint8Array | string, encodingOrDone?: 'latin1' | (() => void)): boolean;
  /** Writes `chunk` if given, then sends the FIN once every write is out. */
  end(chunk?: Uint8Array | string, encoding?: 'latin1'): this;
  /** Closes once every write is out (at once when none is queued); nothing more is read. */
  destroySoon(): void;
  /** Closes at once; queued writes are dropped. */
  destroy(): this;
  /** Stops reading. */
  pause(): this;
  /** Reads again; without a `'data'` listener what comes is dropped. */
  resume(): this;
  /**
   * Emits `'timeout'` once `ms` pass without a read or a write (0: never);
   * traffic after it fired starts the wait again. The socket stays open.
   */
  setTimeout(ms: number): this;
  /** Bytes written and not yet handed to the kernel. */
  readonly writableLength: number;
  /** `writableLength` past which `write` returns false. */
  readonly writableHighWaterMark: number;
  /** Holds writes until `uncork`, which sends them together. */
  cork(): void;
  uncork(): void;
  readonly destroyed: boolean;
  /** True once `end` was called. */
  readonly writableEnded: boolean;
  /** True once the FIN went out after the last write. */
  readonly writableFinished: boolean;
  /** True once the connection is closed (after `'close'`). */
  readonly closed: boolean;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  /** The listener's address on TCP (a `getsockname` call); `undefined` on a Unix socket. */
  readonly localAddress?: string | undefined;
  /** The listener's port on TCP; `undefined` on a Unix socket. */
  readonly localPort?: number | undefined;
}
