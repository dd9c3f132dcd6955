import type { OpenStreams, OutgoingRequest, Transport } from './outgoing-request.js';
import { chunkBytes } from './request-body.js';
import { type BodyStream, TestResponse } from './response.js';

/** A user's body stream as the `ReadableStream` fetch wants; cancelling stops the source. */
function toReadableStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(chunkBytes(next.value));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/** A fetch response body read chunk by chunk; cancelling it releases the connection. */
class FetchBodyStream implements BodyStream {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #open: OpenStreams;
  #closed = false;

  constructor(reader: ReadableStreamDefaultReader<Uint8Array>, open: OpenStreams) {
    this.#reader = reader;
    this.#open = open;
    open.add(this);
  }

  async next(): Promise<IteratorResult<Uint8Array, undefined>> {
    if (this.#closed) return { done: true, value: undefined };
    try {
      const { done, value } = await this.#reader.read();
      if (!done) return { done: false, value };
    } catch (error) {
      await this.close();
      throw error;
    }
    this.#closed = true;
    this.#open.delete(this);
    return { done: true, value: undefined };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#open.delete(this);
    await this.#reader.cancel().catch(() => {});
  }
}

/**
 * Sends requests to a live server with the global `fetch` (Node's undici).
 * Redirects are not followed here: the client follows them itself, so cookies
 * are handled the same way at every hop, in both modes.
 */
export function httpTransport(open: OpenStreams): Transport {
  return async function send(request: OutgoingRequest): Promise<TestResponse> {
    const { origin, target } = request.location;
    const url = origin.href + target;
    const source = request.body;
    const init: RequestInit & { duplex?: 'half' } = {
      method: request.method,
      headers: request.headers,
      redirect: 'manual',
    };
    if (source instanceof Uint8Array) {
      init.body = source;
    } else if (source !== undefined) {
      init.body = toReadableStream(source);
      init.duplex = 'half';
    }
    let response: Response;
    try {
      response = await fetch(url, init);
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause ?? error;
      throw new Error(
        `test-client: ${request.method} ${url} failed: ${(cause as Error).message ?? String(cause)}`,
        { cause: error },
      );
    }
    const common = {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      url,
    };
    if (request.stream && response.body !== null && request.method !== 'HEAD') {
      return new TestResponse({
        ...common,
        stream: new FetchBodyStream(response.body.getReader(), open),
      });
    }
    return new TestResponse({ ...common, bytes: new Uint8Array(await response.arrayBuffer()) });
  };
}
