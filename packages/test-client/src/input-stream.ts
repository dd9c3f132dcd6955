import { type InputStream, RequestBodyError } from '@tsgi/spec';
import { chunkBytes, concatBytes } from './request-body.js';

const EMPTY = new Uint8Array(0);

function checkSize(size: number | undefined): void {
  if (size !== undefined && !(Number.isInteger(size) && size > 0)) {
    throw new RangeError(
      `tsgi.input.read(size): size must be a positive integer, got ${String(size)}`,
    );
  }
}

/** `tsgi.input` over bytes already in memory: every `read()` resolves at once. */
export class BytesInput implements InputStream {
  #bytes: Uint8Array;
  #offset = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  read(size?: number): Promise<Uint8Array> {
    checkSize(size);
    const bytes = this.#bytes;
    const start = this.#offset;
    const end = size === undefined ? bytes.byteLength : Math.min(bytes.byteLength, start + size);
    this.#offset = end;
    return Promise.resolve(
      start === end
        ? EMPTY
        : start === 0 && end === bytes.byteLength
          ? bytes
          : bytes.subarray(start, end),
    );
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      const chunk = await this.read(65536);
      if (chunk.byteLength === 0) return;
      yield chunk;
    }
  }

  /** Nothing to release for bytes in memory. */
  dispose(): void {}
}

/**
 * `tsgi.input` over a stream of chunks, pulled only as the app reads. With a
 * `Content-Length` it never reads past it, and a stream that ends short rejects
 * with a 400 `RequestBodyError`, as a server would.
 */
export class StreamInput implements InputStream {
  #iterator: AsyncIterator<unknown>;
  #pending: Uint8Array = EMPTY;
  #remaining: number;
  #declared: number;
  #done = false;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(source: AsyncIterable<unknown>, contentLength: number | undefined) {
    this.#iterator = source[Symbol.asyncIterator]();
    this.#declared = contentLength ?? Number.POSITIVE_INFINITY;
    this.#remaining = this.#declared;
  }

  read(size?: number): Promise<Uint8Array> {
    checkSize(size);
    // Reads run one after another, even when the app does not await each one.
    const result = this.#queue.then(() =>
      size === undefined ? this.#readAll() : this.#readSome(size),
    );
    this.#queue = result.catch(() => {});
    return result;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      const chunk = await this.read(65536);
      if (chunk.byteLength === 0) return;
      yield chunk;
    }
  }

  /** Stops the source stream if the app did not read it to the end. */
  async dispose(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    await this.#iterator.return?.();
  }

  async #fill(): Promise<boolean> {
    while (this.#pending.byteLength === 0) {
      if (this.#done || this.#remaining === 0) return false;
      const next = await this.#iterator.next();
      if (next.done) {
        this.#done = true;
        if (this.#remaining !== Number.POSITIVE_INFINITY) {
          const got = this.#declared - this.#remaining;
          throw new RequestBodyError(
            400,
            `request body ended after ${got} of the ${this.#declared} bytes its Content-Length announced`,
          );
        }
        return false;
      }
      let chunk = chunkBytes(next.value);
      if (chunk.byteLength > this.#remaining) chunk = chunk.subarray(0, this.#remaining);
      this.#remaining -= chunk.byteLength;
      this.#pending = chunk;
      if (this.#remaining === 0) await this.dispose();
    }
    return true;
  }

  async #readSome(size: number): Promise<Uint8Array> {
    if (!(await this.#fill())) return EMPTY;
    const pending = this.#pending;
    if (pending.byteLength <= size) {
      this.#pending = EMPTY;
      return pending;
    }
    this.#pending = pending.subarray(size);
    return pending.subarray(0, size);
  }

  async #readAll(): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    while (await this.#fill()) {
      chunks.push(this.#pending);
      this.#pending = EMPTY;
    }
    return chunks.length === 0 ? EMPTY : concatBytes(chunks);
  }
}
