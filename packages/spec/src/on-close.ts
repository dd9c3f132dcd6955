import type { ResponseBody } from './application.js';

/** What `onClose`'s callback learns about the body it watched. */
export interface BodyOutcome {
  /** The body's iterator said `done` (for an array: the server closed it after sending it whole). */
  readonly completed: boolean;
  /** The first error thrown by the body's iteration or by its own `close()`, if any. */
  readonly error: unknown;
}

type Closable = { close?(): void | Promise<void> };

/**
 * Wraps `body` so that `fn` runs exactly once when the body is done with:
 * closed by the server, exhausted, or abandoned (its iterator's `return()`),
 * whichever comes first. The body's own `close()` runs first, also exactly
 * once; `fn` runs after it settles, even when it throws (the error is then
 * passed on). Like werkzeug's `ClosingIterator`.
 *
 * The wrapper keeps the body's kind, so servers keep their fast paths: an
 * array stays an array (a copy, since the app may return a shared constant),
 * a sync iterable stays sync, an async one async. Chunks pass through one by
 * one, never buffered. A value that is not a body is returned untouched (so
 * the server or `validate()` names the real problem) and `fn` runs at once.
 *
 * @example
 * const timed: Middleware = (app) => async (environ, startResponse) => {
 *   const started = performance.now();
 *   return onClose(await app(environ, startResponse), () => log(performance.now() - started));
 * };
 */
export function onClose(
  body: ResponseBody,
  fn: (outcome: BodyOutcome) => void | Promise<void>,
): ResponseBody {
  const watch = new Watch(body as Closable, fn);
  if (Array.isArray(body)) {
    const copy = body.slice() as Uint8Array[] & Closable;
    copy.close = () => {
      watch.completed = true;
      return watch.close();
    };
    return copy;
  }
  if (body !== null && typeof body === 'object') {
    if (typeof (body as Iterable<Uint8Array>)[Symbol.iterator] === 'function') {
      return new WatchedSyncBody(body as Iterable<Uint8Array>, watch);
    }
    if (typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
      return new WatchedAsyncBody(body as AsyncIterable<Uint8Array>, watch);
    }
  }
  void watch.close();
  return body;
}

/** The state behind one `onClose` wrapper. */
class Watch {
  completed = false;
  error: unknown = undefined;
  private closing: void | Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly inner: Closable,
    private readonly fn: (outcome: BodyOutcome) => void | Promise<void>,
  ) {}

  /** Closes the body once, then calls `fn`; later calls return the first call's result. */
  close(): void | Promise<void> {
    if (this.closed) return this.closing;
    this.closed = true;
    let result: void | Promise<void>;
    try {
      result = typeof this.inner?.close === 'function' ? this.inner.close() : undefined;
    } catch (error) {
      this.error ??= error;
      this.report();
      throw error;
    }
    if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
      this.closing = (result as Promise<void>).then(
        () => this.report(),
        (error: unknown) => {
          this.error ??= error;
          return Promise.resolve(this.report()).then(() => {
            throw error;
          });
        },
      );
      return this.closing;
    }
    this.closing = this.report();
    return this.closing;
  }

  private report(): void | Promise<void> {
    return this.fn({ completed: this.completed, error: this.error });
  }

  /** Notes an error from the body's iteration. */
  failed(error: unknown): void {
    this.error ??= error;
  }

  /** Exhausted (`completed`) or abandoned: the body is done with, so close it now. */
  finished(completed: boolean): void {
    if (this.closed) return;
    this.completed = completed;
    try {
      const result = this.close();
      // The error is in the outcome `fn` got; the caller's later close() returns it again.
      if (result !== undefined) result.then(undefined, () => {});
    } catch {
      // likewise: reported to `fn`
    }
  }
}

/** A body under watch: its `close()` goes to the watch. */
class WatchedBody<Inner> {
  constructor(
    protected readonly inner: Inner,
    protected readonly watch: Watch,
  ) {}

  close(): void | Promise<void> {
    return this.watch.close();
  }
}

/** A sync body under watch: stays sync, so servers keep their sync fast path. */
class WatchedSyncBody extends WatchedBody<Iterable<Uint8Array>> implements Iterable<Uint8Array> {
  [Symbol.iterator](): Iterator<Uint8Array> {
    return new WatchedIterator(this.inner[Symbol.iterator](), this.watch);
  }
}

/** An async body under watch. */
class WatchedAsyncBody
  extends WatchedBody<AsyncIterable<Uint8Array>>
  implements AsyncIterable<Uint8Array>
{
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return new WatchedAsyncIterator(this.inner[Symbol.asyncIterator](), this.watch);
  }
}

/** Passes a sync iterator's chunks through; tells the watch when it ends. */
class WatchedIterator implements Iterator<Uint8Array> {
  constructor(
    private readonly inner: Iterator<Uint8Array>,
    private readonly watch: Watch,
  ) {}

  next(): IteratorResult<Uint8Array> {
    let step: IteratorResult<Uint8Array>;
    try {
      step = this.inner.next();
    } catch (error) {
      this.watch.failed(error);
      throw error;
    }
    if (step.done === true) this.watch.finished(true);
    return step;
  }

  return(value?: unknown): IteratorResult<Uint8Array> {
    const step = this.inner.return
      ? this.inner.return(value)
      : { done: true as const, value: undefined };
    this.watch.finished(false);
    return step;
  }
}

/** Passes an async iterator's chunks through, one by one; tells the watch when it ends. */
class WatchedAsyncIterator implements AsyncIterator<Uint8Array> {
  constructor(
    private readonly inner: AsyncIterator<Uint8Array>,
    private readonly watch: Watch,
  ) {}

  async next(): Promise<IteratorResult<Uint8Array>> {
    let step: IteratorResult<Uint8Array>;
    try {
      step = await this.inner.next();
    } catch (error) {
      this.watch.failed(error);
      throw error;
    }
    if (step.done === true) this.watch.finished(true);
    return step;
  }

  async return(value?: unknown): Promise<IteratorResult<Uint8Array>> {
    const step = this.inner.return
      ? await this.inner.return(value)
      : { done: true as const, value: undefined };
    this.watch.finished(false);
    return step;
  }
}
