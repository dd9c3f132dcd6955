import { constants } from 'node:os';
import type {
  ShutdownRequest,
  StreamBinding,
  StreamHandle,
  WriteRequest,
} from './stream-binding.js';

/** libuv's "not connected": a shutdown of a connection the peer already dropped, which is no error. */
const UV_ENOTCONN = -constants.errno.ENOTCONN;

/** What a write or shutdown request reports back to when it completes. */
export interface RequestOwner {
  /** An asynchronous write completed with `status` (negative: a libuv error); `done` was its callback. */
  written(status: number, done: (() => void) | undefined): void;
  /** The FIN went out after the last write. */
  finished(): void;
  /** A libuv error `code`: report it and close. */
  fail(code: number): void;
}

/**
 * A write request for `handle`, filled in the way `net.Socket` fills its own:
 * libuv calls its `oncomplete` only when the write could not finish at once.
 */
export function writeRequest(
  binding: StreamBinding,
  handle: StreamHandle,
  owner: RequestOwner,
): WriteRequest {
  const request = new binding.WriteWrap();
  request.handle = handle;
  request.oncomplete = onWritten;
  request.async = false;
  request.bytes = 0;
  request.buffer = null;
  request.owner = owner;
  request.done = undefined;
  return request;
}

/**
 * Sends the FIN on `handle` once its queued writes are out; `owner.finished()`
 * follows (on the next tick when libuv finished at once or the peer is gone).
 */
export function shutdown(binding: StreamBinding, handle: StreamHandle, owner: RequestOwner): void {
  const request = new binding.ShutdownWrap();
  request.handle = handle;
  request.oncomplete = onShutdown;
  request.callback = null;
  request.owner = owner;
  const error = handle.shutdown(request);
  if (error === 1 || error === UV_ENOTCONN) process.nextTick(() => owner.finished());
  else if (error !== 0) owner.fail(error);
}

function onWritten(this: WriteRequest, status: number): void {
  (this.owner as RequestOwner).written(status, this.done);
}

function onShutdown(this: ShutdownRequest, status: number): void {
  const owner = this.owner as RequestOwner;
  if (status < 0 && status !== UV_ENOTCONN) owner.fail(status);
  else owner.finished();
}
