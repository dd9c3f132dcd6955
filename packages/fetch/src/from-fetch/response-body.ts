import type { ReadableStreamReadResult } from 'node:stream/web';
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
  #ended = false;
  #closed = false;

  constructor(stream: ReadableStream<Uint8Array>, request: LazyRequest) {
    this.#reader = stream.getReader();
    this.#request = request;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this;
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    if (this.#ended || this.#closed) return { done: true, value: undefined };
    let step: ReadableStreamReadResult<Uint8Array>;
    try {
      step = await this.#reader.read();
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
