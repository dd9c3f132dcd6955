import type { InputStream } from './environ.js';
import { BodyTooLargeError, RequestBodyError } from './errors.js';

const EMPTY = new Uint8Array(0);

/** How much one iteration step of an input reads. */
const STEP = 65536;

/** Throws the RangeError `read(size)` owes a size that is not a positive integer [input.1]. */
function checkSize(size: number | undefined): void {
  if (size !== undefined && !(Number.isInteger(size) && size > 0)) {
    throw new RangeError(
      `tsgi.input.read(size): size must be a positive integer, got ${String(size)}`,
    );
  }
}

/** Joins byte chunks into one array (the one chunk itself when there is one). */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  let length = 0;
  for (const chunk of chunks) length += chunk.byteLength;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * `tsgi.input` over bytes already in memory: every `read()` resolves at once.
 *
 * @example
 * environ['tsgi.input'] = new BytesInput(new TextEncoder().encode('{"a":1}'));
 */
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
      const chunk = await this.read(STEP);
      if (chunk.byteLength === 0) return;
      yield chunk;
    }
  }

  /** Nothing to release for bytes in memory. */
  dispose(): void {}
}

/** How a `StreamInput` bounds its source. */
export interface StreamInputOptions {
  /** The request's `Content-Length`: never read past it; a source that ends short is a 400. */
  readonly contentLength?: number | undefined;
  /** Most bytes the body may have: a read past it rejects with a `BodyTooLargeError` (413). */
  readonly limit?: number | undefined;
}

/**
 * `tsgi.input` over a stream of byte chunks (an async generator, a
 * `ReadableStream`), pulled only as the application reads: nothing is read
 * before the first `read()`. With a `Content-Length` it never reads past it,
 * and a source that ends short rejects with a 400 `RequestBodyError`
 * [input.8]; past `limit` it rejects with a `BodyTooLargeError` [srv.8].
 * Reads run one after another, even when the application does not await
 * each one; empty chunks from the source are skipped [input.7].
 *
 * @example
 * // A fetch runtime's request body as tsgi.input:
 * new StreamInput(request.body ?? [], { contentLength: 42, limit: 1 << 20 });
 */
export class StreamInput implements InputStream {
  #source: AsyncIterable<Uint8Array>;
  #iterator: AsyncIterator<Uint8Array> | undefined;
  #pending: Uint8Array = EMPTY;
  #remaining: number;
  #declared: number;
  #limit: number;
  #received = 0;
  #done = false;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(source: AsyncIterable<Uint8Array>, options: StreamInputOptions = {}) {
    this.#source = source;
    this.#declared = options.contentLength ?? Number.POSITIVE_INFINITY;
    this.#remaining = this.#declared;
    this.#limit = options.limit ?? Number.POSITIVE_INFINITY;
  }

  read(size?: number): Promise<Uint8Array> {
    checkSize(size);
    const result = this.#queue.then(() =>
      size === undefined ? this.#readAll() : this.#readSome(size),
    );
    this.#queue = result.catch(() => {});
    return result;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      const chunk = await this.read(STEP);
      if (chunk.byteLength === 0) return;
      yield chunk;
    }
  }

  /** Stops the source if the application did not read it to the end. */
  async dispose(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    await this.#iterator?.return?.();
  }

  async #fill(): Promise<boolean> {
    while (this.#pending.byteLength === 0) {
      if (this.#done || this.#remaining === 0) return false;
      this.#iterator ??= this.#source[Symbol.asyncIterator]();
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
      let chunk = next.value;
      if (!(chunk instanceof Uint8Array)) {
        await this.dispose();
        throw new TypeError(`tsgi.input: the body source yielded ${typeof chunk}, not bytes`);
      }
      if (chunk.byteLength > this.#remaining) chunk = chunk.subarray(0, this.#remaining);
      this.#remaining -= chunk.byteLength;
      this.#received += chunk.byteLength;
      if (this.#received > this.#limit) {
        await this.dispose();
        throw new BodyTooLargeError(this.#limit);
      }
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
