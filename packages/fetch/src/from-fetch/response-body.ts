import type { ReadableStreamReadResult } from 'node:stream/web';
import { concatBytes } from '@tsgi/spec';
import type { LazyRequest } from './lazy-request.js';

/**
 * A TSGI response body over a `Response`'s stream: the server asks for the
 * next chunk only when it can send it, and each ask is one `read()`, so the
 * handler's stream never runs ahead of the client [async.2]. `close()` before
 * the stream ended (the client went away, the server is shutting down)
 * cancels the reader and aborts the request's `signal`; after a normal end
 * it does neither. An error in the stream rejects `next()`, so the server
 * ends the response and frees the connection [srv.7].
 */
export class StreamBody implements AsyncIterable<Uint8Array>, AsyncIterator<Uint8Array> {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #request: LazyRequest;
  /** Chunks read before the body was made (see `readAhead`), sent first. */
  #early: Uint8Array[];
  /** A read started before the body was made, still pending. */
  #pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  #ended = false;
  #closed = false;

  constructor(
    reader: ReadableStreamDefaultReader<Uint8Array>,
    request: LazyRequest,
    early: Uint8Array[] = [],
    pending?: Promise<ReadableStreamReadResult<Uint8Array>>,
  ) {
    this.#reader = reader;
    this.#request = request;
    this.#early = early;
    this.#pending = pending;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this;
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    if (this.#closed) return { done: true, value: undefined };
    const early = this.#early.shift();
    if (early !== undefined) return { done: false, value: early };
    if (this.#ended) return { done: true, value: undefined };
    let step: ReadableStreamReadResult<Uint8Array>;
    try {
      const pending = this.#pending;
      this.#pending = undefined;
      step = await (pending ?? this.#reader.read());
    } catch (error) {
      this.#ended = true;
      throw error;
    }
    if (step.done) {
      this.#ended = true;
      return { done: true, value: undefined };
    }
    const chunk = step.value;
    if (!(chunk instanceof Uint8Array)) {
      this.#ended = true;
      void this.#reader.cancel().catch(() => {});
      throw new TypeError(`the fetch handler's body stream yielded ${typeof chunk}, not bytes`);
    }
    return { done: false, value: chunk };
  }

  /** Called by the server exactly once [srv.6]: early, it cancels the stream and aborts the signal. */
  close(): Promise<void> | undefined {
    if (this.#closed) return undefined;
    this.#closed = true;
    if (this.#ended) return undefined;
    this.#request.abort();
    return this.#reader.cancel().catch(() => {});
  }
}

/** Reads that may settle without waiting for the handler: a body made from a string or bytes. */
const READS_AHEAD = 3;

/** Resolves to `undefined` after the microtasks a stream needs to hand over a chunk it holds. */
function soon(): Promise<undefined> {
  return Promise.resolve()
    .then(() => undefined)
    .then(() => undefined);
}

/**
 * The TSGI body of a `Response` stream: when the stream gives its whole body
 * at once (it was made from a string or bytes), one chunk, which the server
 * sends with a `Content-Length`; otherwise a `StreamBody` that starts with
 * what was read. Never waits on the handler: a read that is not settled
 * after a few microtasks is handed to the `StreamBody` as it is.
 */
export async function readAhead(
  stream: ReadableStream<Uint8Array>,
  request: LazyRequest,
): Promise<Uint8Array[] | StreamBody> {
  const reader = stream.getReader();
  const early: Uint8Array[] = [];
  for (let i = 0; i < READS_AHEAD; i++) {
    const read = reader.read();
    const step = await Promise.race([read, soon()]);
    if (step === undefined) return new StreamBody(reader, request, early, read);
    if (step.done) {
      reader.releaseLock();
      return early.length <= 1 ? early : [concatBytes(early)];
    }
    if (!(step.value instanceof Uint8Array)) {
      return new StreamBody(reader, request, early, Promise.resolve(step));
    }
    early.push(step.value);
  }
  return new StreamBody(reader, request, early);
}
