import type { ErrorStream, ResponseBody } from '@tsgi/spec';
import { describeError } from './response-head.js';

type Closable = { close?(): void | Promise<void> };

/**
 * Reads an application's response body one chunk at a time, whatever its
 * kind (an array, a sync or an async iterable), and releases it exactly once
 * [srv.6]: an iterator stopped early gets `return()`, then the body's own
 * `close()` runs; failures of either go to `tsgi.errors`. `next()` is never
 * called while another is pending, nor after `close()` [body.6].
 */
export class BodyReader {
  /** The body said `done`, or was found empty before the response was made. */
  ended = false;
  #body: ResponseBody;
  #iterator: Iterator<unknown> | AsyncIterator<unknown> | undefined;
  #errors: ErrorStream;
  #closed: Promise<void> | undefined;

  /** Throws a TypeError when `body` is not a body [body.1]. */
  constructor(body: ResponseBody, errors: ErrorStream) {
    if (
      body === null ||
      typeof body !== 'object' ||
      (typeof (body as Iterable<unknown>)[Symbol.iterator] !== 'function' &&
        typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function')
    ) {
      throw new TypeError(
        `the application returned ${body === null ? 'null' : typeof body}, not an iterable body [body.1]`,
      );
    }
    this.#body = body;
    this.#errors = errors;
  }

  /** The next chunk, or `undefined` at the end; throws a TypeError for a chunk that is not bytes. */
  async next(): Promise<Uint8Array | undefined> {
    if (this.ended || this.#closed !== undefined) return undefined;
    let iterator = this.#iterator;
    if (iterator === undefined) {
      const body = this.#body as Partial<Iterable<unknown> & AsyncIterable<unknown>>;
      iterator =
        typeof body[Symbol.iterator] === 'function'
          ? body[Symbol.iterator]!()
          : body[Symbol.asyncIterator]!();
      this.#iterator = iterator;
    }
    const step = await iterator.next();
    if (step.done) {
      this.ended = true;
      return undefined;
    }
    const chunk = step.value;
    if (!(chunk instanceof Uint8Array)) throw this.chunkError(chunk);
    return chunk;
  }

  /** The TypeError for a chunk that is not a `Uint8Array` [body.2]. */
  chunkError(chunk: unknown): TypeError {
    const kind = chunk === null ? 'null' : typeof chunk;
    return new TypeError(`the response body yielded ${kind}, not a Uint8Array [body.2]`);
  }

  /** Asks the iterator to stop if it did not end, then calls the body's `close()`: once. */
  close(): Promise<void> {
    this.#closed ??= this.#release();
    return this.#closed;
  }

  async #release(): Promise<void> {
    const iterator = this.#iterator;
    if (iterator !== undefined && !this.ended) {
      // Not awaited: a generator blocked in a pending next() settles return() only after it.
      try {
        const result = iterator.return?.();
        if (result instanceof Promise) result.catch(() => {});
      } catch {
        // the body's own cleanup failed; close() still runs
      }
    }
    try {
      await (this.#body as Closable).close?.();
    } catch (error) {
      this.#errors.write(`tsgi: the response body's close() failed: ${describeError(error)}\n`);
    }
  }
}
