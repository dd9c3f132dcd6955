import type { Readable } from 'node:stream';
import { BodyTooLargeError, concatBytes, type InputStream, RequestBodyError } from '@tsgi/spec';
import { trailerError } from './trailers.js';

const EMPTY = new Uint8Array(0);

/**
 * `tsgi.input` for a request without a body: every read resolves to an empty
 * array. Stateless, so one instance serves every such request.
 */
export const emptyInput: InputStream = Object.freeze({
  read(): Promise<Uint8Array> {
    return Promise.resolve(EMPTY);
  },
  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {},
});

/** The readable side of a request, as `RequestInput` needs it (an `IncomingMessage` fits). */
export type BodySource = Readable;

/**
 * `tsgi.input` over a readable request body. Nothing is read from the
 * connection until the application asks, so an unread body costs nothing
 * and a slow reader pushes back on the client.
 *
 * `declaredLength` is the request's `Content-Length` (or -1 when chunked):
 * a declared length past `limit` makes the first read reject at once,
 * without reading anything (and without sending `100 Continue`).
 */
export class RequestInput implements InputStream {
  /** Bytes handed to the application so far. */
  received = 0;
  /** True once the body went past the limit; the connection is then not reused. */
  exceeded = false;
  private readonly source: BodySource;
  private readonly limit: number;
  /** The request's `Content-Length`, or -1 (chunked). */
  private readonly declared: number;
  private onFirstRead: (() => void) | undefined;
  private pending: Uint8Array | undefined;
  private ended = false;
  private failure: Error | undefined;
  /** Reads waiting for bytes; more than one only when an app reads concurrently (against SPEC input.6), which must not hang either. */
  private readonly waiters: Array<() => void> = [];
  private listening = false;

  constructor(source: BodySource, declaredLength: number, limit: number, onFirstRead?: () => void) {
    this.source = source;
    this.limit = limit;
    this.declared = declaredLength;
    this.onFirstRead = onFirstRead;
    if (declaredLength > limit) this.exceeded = true;
  }

  read(size?: number): Promise<Uint8Array> {
    if (size !== undefined && (!Number.isInteger(size) || size < 0)) {
      return Promise.reject(
        new TypeError(`tsgi.input.read: size must be a whole number >= 0, got ${size}`),
      );
    }
    if (size === 0) return Promise.resolve(EMPTY);
    if (this.exceeded) return Promise.reject(new BodyTooLargeError(this.limit));
    return size === undefined ? this.readAll() : this.readSome(size);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      const chunk = await this.read(65_536);
      if (chunk.byteLength === 0) return;
      yield chunk;
    }
  }

  private async readAll(): Promise<Uint8Array> {
    const first = await this.readSome(Number.POSITIVE_INFINITY);
    // The whole body in one piece (all of a small Content-Length body): no second read.
    if (first.byteLength === 0 || (this.ended && this.failure === undefined)) return first;
    const parts: Uint8Array[] = [first];
    for (;;) {
      const chunk = await this.readSome(Number.POSITIVE_INFINITY);
      if (chunk.byteLength === 0) break;
      parts.push(chunk);
    }
    return concatBytes(parts);
  }

  private async readSome(size: number): Promise<Uint8Array> {
    for (;;) {
      if (this.pending !== undefined) {
        const chunk = this.pending;
        if (chunk.byteLength <= size) {
          this.pending = undefined;
          return chunk;
        }
        this.pending = chunk.subarray(size);
        return chunk.subarray(0, size);
      }
      if (this.failure !== undefined) throw this.failure;
      if (this.ended) return EMPTY;
      this.begin();
      const next = this.source.read() as Uint8Array | null;
      if (next !== null) {
        this.received += next.byteLength;
        if (this.received > this.limit) {
          this.exceeded = true;
          this.failure = new BodyTooLargeError(this.limit);
          throw this.failure;
        }
        this.pending = next;
        // All the declared bytes are in: the body is whole without waiting for 'end'
        // (a body with a Content-Length has no trailer section to check).
        if (this.received === this.declared) this.ended = true;
        continue;
      }
      if (this.source.readableEnded) {
        this.end();
        continue;
      }
      if (this.source.destroyed) {
        // Destroyed before this read listened (an aborted request, its connection gone).
        this.failure ??= this.source.errored ? readFailure(this.source.errored) : endedEarly();
        continue;
      }
      // Listeners only now: a body already buffered (a small one, sent with its head) needs none.
      this.listen();
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
      });
    }
  }

  /** The body is complete: a forbidden trailer field still fails it (see `http/trailers.ts`). */
  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.failure ??= trailerError(this.source);
  }

  /** The first read: `100 Continue` goes out now, if the client asked for it [input.9]. */
  private begin(): void {
    const first = this.onFirstRead;
    if (first === undefined) return;
    this.onFirstRead = undefined;
    first();
  }

  /** Wakes waiting reads on the source's events; added once, when a read first has to wait. */
  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    const wake = () => {
      for (const waiter of this.waiters.splice(0)) waiter();
    };
    this.source.on('readable', wake);
    this.source.on('end', () => {
      this.end();
      wake();
    });
    this.source.on('error', (error) => {
      this.failure ??= readFailure(error);
      wake();
    });
    this.source.on('close', () => {
      if (!this.source.readableEnded && !this.ended) this.failure ??= endedEarly();
      wake();
    });
  }
}

/** The 400 of a body stream that failed with `error`. */
function readFailure(error: Error): RequestBodyError {
  return new RequestBodyError(400, `request body could not be read: ${error.message}`, {
    cause: error,
  });
}

/** The 400 of a body stream that closed before its end. */
function endedEarly(): RequestBodyError {
  return new RequestBodyError(400, 'request body ended early: the client closed the connection');
}
