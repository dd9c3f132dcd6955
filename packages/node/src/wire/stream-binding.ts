/**
 * Node's own stream-handle binding, the layer `net.Socket` is built on: a
 * libuv TCP or pipe handle reads into `onread`, and writes and shutdowns are
 * requests (`WriteWrap`, `ShutdownWrap`) that complete through `oncomplete`.
 * `RawSocket` uses it to serve a one-request uwsgi connection without a
 * `net.Socket`. It comes from `process.binding('stream_wrap')`, which Node
 * keeps on its allow-list for userland (checked on Node 20 to 26), so its
 * shape is checked here once, and anything unexpected (a future Node, a
 * runtime without it, the permission model refusing it) means no binding:
 * the listeners then use `net.Socket` as before.
 */

/** A write request: `oncomplete(status)` runs when an asynchronous write finished. */
export interface WriteRequest {
  handle: StreamHandle;
  oncomplete: (this: WriteRequest, status: number) => void;
  async: boolean;
  bytes: number;
  buffer: unknown;
  owner: unknown;
  /** Runs once the write completed (ours, not the binding's). */
  done: (() => void) | undefined;
}

/** A shutdown request: `oncomplete(status)` runs once the FIN is sent after every write. */
export interface ShutdownRequest {
  handle: StreamHandle;
  oncomplete: (this: ShutdownRequest, status: number) => void;
  callback: unknown;
  owner: unknown;
}

/** A connected libuv stream (TCP or pipe) as `onconnection` hands it over. */
export interface StreamHandle {
  /** Gets each read: its bytes are `streamBaseState`'s count at its offset in `buffer`. */
  onread: ((buffer: ArrayBuffer | undefined) => void) | null;
  readStart(): number;
  readStop(): number;
  writeBuffer(request: WriteRequest, data: Uint8Array): number;
  writeLatin1String(request: WriteRequest, data: string): number;
  writev(request: WriteRequest, chunks: Uint8Array[], allBuffers: true): number;
  shutdown(request: ShutdownRequest): number;
  /** Closes the descriptor now; `callback`, if any, runs once libuv freed the handle. */
  close(callback?: () => void): void;
  /** Bytes queued in libuv, not yet written. */
  readonly writeQueueSize: number;
  /** TCP only: fills `out` with `address`, `family`, `port`. */
  getsockname?(out: Record<string, unknown>): number;
}

/** What `RawSocket` needs from the binding. */
export interface StreamBinding {
  WriteWrap: new () => WriteRequest;
  ShutdownWrap: new () => ShutdownRequest;
  /** Shared result slots of the last read or write, indexed by the `k*` fields. */
  state: Int32Array;
  readBytesOrError: number;
  arrayBufferOffset: number;
  lastWriteWasAsync: number;
}

const HANDLE_METHODS = [
  'readStart',
  'readStop',
  'writeBuffer',
  'writeLatin1String',
  'writev',
  'shutdown',
  'close',
] as const;

let cached: StreamBinding | null | undefined;

/** The binding when this runtime has it in the expected shape, else `undefined` (cached). */
export function streamBinding(): StreamBinding | undefined {
  if (cached === undefined) cached = load() ?? null;
  return cached ?? undefined;
}

function load(): StreamBinding | undefined {
  const get = (process as { binding?: (name: string) => unknown }).binding;
  if (typeof get !== 'function') return undefined;
  let raw: Record<string, unknown>;
  try {
    raw = get.call(process, 'stream_wrap') as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const { WriteWrap, ShutdownWrap, streamBaseState: state } = raw;
  const slots = [raw.kReadBytesOrError, raw.kArrayBufferOffset, raw.kLastWriteWasAsync];
  if (
    typeof WriteWrap !== 'function' ||
    typeof ShutdownWrap !== 'function' ||
    !(state instanceof Int32Array) ||
    !slots.every((slot) => typeof slot === 'number' && slot >= 0 && slot < state.length)
  ) {
    return undefined;
  }
  return {
    WriteWrap: WriteWrap as StreamBinding['WriteWrap'],
    ShutdownWrap: ShutdownWrap as StreamBinding['ShutdownWrap'],
    state,
    readBytesOrError: slots[0] as number,
    arrayBufferOffset: slots[1] as number,
    lastWriteWasAsync: slots[2] as number,
  };
}

/** True when `handle` (from a listening server's `onconnection`) is a stream handle `RawSocket` can drive. */
export function isStreamHandle(handle: unknown): handle is StreamHandle {
  if (typeof handle !== 'object' || handle === null) return false;
  const methods = handle as Record<string, unknown>;
  return HANDLE_METHODS.every((name) => typeof methods[name] === 'function');
}
