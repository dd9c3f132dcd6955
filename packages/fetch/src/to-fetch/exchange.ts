import type { UnderlyingSource } from 'node:stream/web';
import {
  checkContentLength,
  concatBytes,
  type Environ,
  type ErrorStream,
  type HeaderList,
  RequestBodyError,
  type ResponseBody,
  type StartResponse,
  type Write,
} from '@tsgi/spec';
import { BodyReader } from './body-reader.js';
import {
  describeError,
  isNullBodyStatus,
  makeResponse,
  plainResponse,
  type ResponseHead,
  responseHead,
} from './response-head.js';

const RESOLVED: Promise<void> = Promise.resolve();

/** Where one exchange is. */
enum State {
  /** Nothing decided: `startResponse` may still be called again. */
  Open,
  /** The `Response` exists; its body stream is being fed. */
  Streaming,
  /** The `Response` is whole, or the stream ended, failed or was cancelled. */
  Done,
}

/**
 * One request's response side: `startResponse` and `write` for the
 * application, and the `Response` they turn into. Nothing is decided until
 * the first non-empty chunk, from `write` or the body, or the body's end
 * [srv.2]; until then a later `startResponse` with `excInfo` replaces the
 * head [sr.9]. Then the `Response` is made: whole from an array body,
 * otherwise with a stream that takes one chunk per pull [async.2] and whose
 * `cancel()` (the client went away) stops the body. The body's `close()`
 * runs once on every path [srv.6].
 */
export class Exchange implements UnderlyingSource<Uint8Array> {
  readonly environ: Environ;
  readonly startResponse: StartResponse;
  readonly write: Write;
  #errors: ErrorStream;
  #noBody: boolean;
  #state = State.Open;
  #head: ResponseHead | undefined;
  #reader: BodyReader | undefined;
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  /** The chunk the stream starts with: the one that made the response. */
  #first: Uint8Array | undefined;
  /** `write` calls waiting for the stream to take their chunk. */
  #writes: Array<[Uint8Array, () => void]> = [];
  /** Wakes a pull that waits for a write or for the application's body. */
  #wake: (() => void) | undefined;
  #sent = 0;
  #settled: Response | undefined;
  #resolve: ((response: Response) => void) | undefined;

  constructor(environ: Environ, isHead: boolean, errors: ErrorStream) {
    this.environ = environ;
    this.#noBody = isHead;
    this.#errors = errors;
    this.startResponse = (status, headers, excInfo) => this.#start(status, headers, excInfo);
    this.write = (chunk) => this.#write(chunk);
  }

  /** The `Response`, once the exchange has one. */
  response(): Promise<Response> {
    const settled = this.#settled;
    if (settled !== undefined) return Promise.resolve(settled);
    return new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  /** Takes the application's body (or fails with a TypeError naming what it got) [body.1]. */
  adopt(body: ResponseBody): void {
    let reader: BodyReader;
    try {
      reader = new BodyReader(body, this.#errors);
    } catch (error) {
      this.fail(error);
      return;
    }
    this.#reader = reader;
    if (this.#state === State.Done) {
      void reader.close();
    } else if (this.#state === State.Streaming) {
      this.#wakeUp();
    } else if (Array.isArray(body)) {
      this.#whole(body, reader);
    } else {
      void this.#firstChunk(reader);
    }
  }

  /**
   * Answers an error from the application or its body: before the response
   * a plain-text 500, or a `RequestBodyError`'s own status and message
   * [srv.7]; while streaming, the stream errors, so the runtime cuts the
   * connection. Reported on `tsgi.errors`, but not a `RequestBodyError`.
   */
  fail(error: unknown): void {
    const state = this.#state;
    const bodyError = error instanceof RequestBodyError;
    if (state === State.Done) {
      this.#report('error after the response ended', error);
      return;
    }
    if (!bodyError)
      this.#report(`${this.environ.REQUEST_METHOD} ${this.environ.REQUEST_URI}`, error);
    this.#state = State.Done;
    if (state === State.Streaming) {
      this.#controller?.error(error);
    } else {
      this.#settle(
        bodyError
          ? plainResponse(error.status, `${error.message}\n`, this.#noBody)
          : plainResponse(500, 'Internal Server Error\n', this.#noBody),
      );
    }
    this.#finishWrites();
    void this.#reader?.close();
  }

  // UnderlyingDefaultSource: the response body stream.

  start(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.#controller = controller;
    const first = this.#first;
    if (first !== undefined) {
      this.#first = undefined;
      controller.enqueue(first);
    }
  }

  /** One chunk per pull: a waiting `write` first, then the body's next chunk. */
  async pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    for (;;) {
      if (this.#state !== State.Streaming) return;
      const write = this.#writes.shift();
      if (write !== undefined) {
        this.#emit(controller, write[0]);
        write[1]();
        return;
      }
      const reader = this.#reader;
      if (reader === undefined) {
        // Only write() so far: wait for another write or for the body.
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
        });
        continue;
      }
      let chunk: Uint8Array | undefined;
      try {
        chunk = await reader.next();
      } catch (error) {
        this.fail(error);
        return;
      }
      if (this.#state !== State.Streaming) return;
      if (chunk === undefined) {
        this.#end(controller);
        return;
      }
      if (chunk.byteLength === 0) continue;
      this.#emit(controller, chunk);
      return;
    }
  }

  /** The client went away (or the consumer gave up): stop the body. */
  cancel(): void {
    if (this.#state === State.Done) return;
    this.#state = State.Done;
    this.#finishWrites();
    void this.#reader?.close();
  }

  #start(status: string, headers: HeaderList, excInfo?: unknown): Write {
    if (excInfo !== undefined) {
      if (this.#state !== State.Open) throw excInfo; // [sr.10]
    } else if (this.#head !== undefined) {
      throw new Error('startResponse: called again without excInfo [sr.9]');
    }
    this.#head = responseHead(status, headers);
    return this.write;
  }

  #write(chunk: Uint8Array): Promise<void> {
    if (!(chunk instanceof Uint8Array)) {
      throw new TypeError(`write: the chunk is ${typeof chunk}, not a Uint8Array [write.1]`);
    }
    if (this.#head === undefined) throw new Error('write: called before startResponse [write.2]');
    if (chunk.byteLength === 0 || this.#state === State.Done) return RESOLVED;
    if (this.#state === State.Open) {
      this.#open(chunk);
      return RESOLVED;
    }
    return new Promise((resolve) => {
      this.#writes.push([chunk, resolve]);
      this.#wakeUp();
    });
  }

  /** An array body: one byte body with its Content-Length, no stream. */
  #whole(body: readonly unknown[], reader: BodyReader): void {
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for (const chunk of body) {
        if (!(chunk instanceof Uint8Array)) throw reader.chunkError(chunk);
        if (chunk.byteLength === 0) continue;
        chunks.push(chunk);
        size += chunk.byteLength;
      }
      const head = this.#requireHead();
      if (!this.#noBody) checkContentLength(head.declared, size, true);
      if (head.declared === -1 && (size > 0 || !this.#noBody) && !isNullBodyStatus(head.code)) {
        head.headers.push(['content-length', String(size)]);
      }
      this.#state = State.Done;
      this.#settle(makeResponse(head, this.#noBody || size === 0 ? null : concatBytes(chunks)));
    } catch (error) {
      this.fail(error);
      return;
    }
    void reader.close();
  }

  /** Reads up to the first non-empty chunk or the end, then makes the response [srv.2]. */
  async #firstChunk(reader: BodyReader): Promise<void> {
    let chunk: Uint8Array | undefined;
    try {
      do chunk = await reader.next();
      while (chunk !== undefined && chunk.byteLength === 0 && this.#state === State.Open);
    } catch (error) {
      this.fail(error);
      return;
    }
    if (this.#state === State.Streaming) {
      // write() made the response meanwhile: this chunk goes after its chunks.
      if (chunk === undefined) reader.ended = true;
      else this.#writes.push([chunk, () => {}]);
      this.#wakeUp();
      return;
    }
    if (this.#state !== State.Open) return;
    if (chunk === undefined) {
      this.#whole([], reader);
      return;
    }
    try {
      this.#open(chunk);
    } catch (error) {
      this.fail(error);
    }
  }

  /** Makes the response with `first` as its first chunk (none for HEAD, 204, 304). */
  #open(first: Uint8Array): void {
    const head = this.#requireHead();
    if (this.#noBody || isNullBodyStatus(head.code)) {
      this.#state = State.Done;
      this.#settle(makeResponse(head, null));
      void this.#reader?.close();
      return;
    }
    this.#state = State.Streaming;
    this.#first = first;
    this.#sent = first.byteLength;
    checkContentLength(head.declared, this.#sent, false);
    this.#settle(makeResponse(head, new ReadableStream(this, { highWaterMark: 0 })));
  }

  #emit(controller: ReadableStreamDefaultController<Uint8Array>, chunk: Uint8Array): void {
    this.#sent += chunk.byteLength;
    try {
      checkContentLength(this.#head!.declared, this.#sent, false);
    } catch (error) {
      this.fail(error);
      return;
    }
    controller.enqueue(chunk);
  }

  #end(controller: ReadableStreamDefaultController<Uint8Array>): void {
    try {
      checkContentLength(this.#head!.declared, this.#sent, true);
    } catch (error) {
      this.fail(error);
      return;
    }
    this.#state = State.Done;
    controller.close();
    void this.#reader?.close();
  }

  #requireHead(): ResponseHead {
    const head = this.#head;
    if (head === undefined)
      throw new Error('the body ended without a call to startResponse [sr.11]');
    return head;
  }

  #settle(response: Response): void {
    this.#settled = response;
    const resolve = this.#resolve;
    if (resolve !== undefined) {
      this.#resolve = undefined;
      resolve(response);
    }
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** Resolves every waiting `write`: its promise never rejects [write.3]. */
  #finishWrites(): void {
    for (const [, resolve] of this.#writes.splice(0)) resolve();
    this.#wakeUp();
  }

  #report(what: string, error: unknown): void {
    this.#errors.write(`tsgi: ${what}: ${describeError(error)}\n`);
  }
}
