import type { ResponseBody } from '@tsgi/spec';
import type { RequestErrors } from './error-log.js';
import type { Input } from './in-process-input.js';
import type { OpenStreams } from './outgoing-request.js';
import { type BodyStream, TestResponse } from './response.js';
import { checkLength, closeBody, type ResponseCollector } from './response-collector.js';

/** A streamed response body: pulls the app's iterator on demand and closes everything exactly once. */
class AppBodyStream implements BodyStream {
  #iterator: Iterator<unknown> | AsyncIterator<unknown>;
  #body: ResponseBody;
  #collector: ResponseCollector;
  #input: Input;
  #open: OpenStreams;
  #method: string;
  #code: number;
  #closed = false;

  constructor(
    iterator: Iterator<unknown> | AsyncIterator<unknown>,
    body: ResponseBody,
    collector: ResponseCollector,
    input: Input,
    open: OpenStreams,
    method: string,
    code: number,
  ) {
    this.#iterator = iterator;
    this.#body = body;
    this.#collector = collector;
    this.#input = input;
    this.#open = open;
    this.#method = method;
    this.#code = code;
    open.add(this);
  }

  async next(): Promise<IteratorResult<Uint8Array, undefined>> {
    const queue = this.#collector.chunks;
    for (;;) {
      const queued = queue.shift();
      if (queued !== undefined) return { done: false, value: queued };
      if (this.#closed) return { done: true, value: undefined };
      let step: IteratorResult<unknown>;
      try {
        step = await this.#iterator.next();
        if (step.done) {
          const collector = this.#collector;
          checkLength(collector.headers!, this.#method, this.#code, collector.length);
        } else {
          this.#collector.push(step.value, true);
          continue;
        }
      } catch (error) {
        await this.#finish(false).catch(() => {});
        throw error;
      }
      await this.#finish(true);
    }
  }

  async close(): Promise<void> {
    await this.#finish(false);
  }

  async #finish(ended: boolean): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#open.delete(this);
    this.#collector.chunks.length = ended ? this.#collector.chunks.length : 0;
    try {
      if (!ended) await this.#iterator.return?.();
    } finally {
      try {
        await closeBody(this.#body);
      } finally {
        await this.#input.dispose();
      }
    }
  }
}

/** Starts a streamed response: pulls the body until `startResponse` ran, then hands out the rest on demand. */
export async function streamResponse(
  body: ResponseBody,
  collector: ResponseCollector,
  input: Input,
  open: OpenStreams,
  method: string,
  url: string,
  errors: RequestErrors,
): Promise<TestResponse> {
  let iterator: Iterator<unknown> | AsyncIterator<unknown>;
  try {
    if (typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
      iterator = (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    } else if (typeof (body as Iterable<Uint8Array>)[Symbol.iterator] === 'function') {
      iterator = (body as Iterable<Uint8Array>)[Symbol.iterator]();
    } else {
      throw new TypeError('the app returned a body that is neither iterable nor async iterable');
    }
  } catch (error) {
    await closeBody(body).catch(() => {});
    await input.dispose();
    throw error;
  }
  // The status may only be known once the body starts: pull until startResponse ran.
  while (collector.status === undefined) {
    let step: IteratorResult<unknown>;
    try {
      step = await iterator.next();
      if (!step.done) collector.push(step.value, true);
    } catch (error) {
      await closeBody(body).catch(() => {});
      await input.dispose();
      throw error;
    }
    if (step.done) {
      await closeBody(body);
      await input.dispose();
      throw new Error('the app returned a body without calling startResponse');
    }
  }
  const status = collector.status;
  const code = Number(status.slice(0, 3));
  const stream = new AppBodyStream(iterator, body, collector, input, open, method, code);
  return new TestResponse({
    status: code,
    statusText: status.slice(4),
    headerList: collector.headers!,
    stream,
    url,
    errors,
  });
}
