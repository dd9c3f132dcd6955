import { Buffer } from 'node:buffer';
import { writeSync } from 'node:fs';

/** How long a write at exit keeps retrying a pipe that is full (`EAGAIN`), in ms. */
const PIPE_PATIENCE_MS = 2000;

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `data` (a string as UTF-8) to the file descriptor `fd`
 * synchronously, as a process about to exit must: a partial write is continued, and a full
 * non-blocking pipe (stdout piped to a slow reader) is retried every
 * millisecond for up to 2 s before the error is thrown.
 */
export function writeAllSync(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const deadline = Date.now() + PIPE_PATIENCE_MS;
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || Date.now() > deadline) throw error;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}
