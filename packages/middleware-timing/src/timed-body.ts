import type { ResponseBody } from '@tsgi/spec';
import type { RequestTimer } from './request-timer.js';

type Closable = { close?(): void | Promise<void> };

/**
 * Calls the body's own `close()` at most once, then lets the timer write the
 * log line. Returns the inner close's promise, if any, so the server still
 * awaits it.
 */
function closeThenFinish(
  inner: Closable,
  timer: RequestTimer,
  streamed: boolean,
): void | Promise<void> {
  let result: void | Promise<void>;
  try {
    result = inner.close?.();
  } catch (error) {
    timer.finish(streamed, error);
    throw error;
  }
  if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
    return (result as Promise<void>).then(
      () => timer.finish(streamed, timer.bodyError),
      (error: unknown) => {
        timer.finish(streamed, error);
        throw error;
      },
    );
  }
  timer.finish(streamed, timer.bodyError);
}

/** Passes a sync iterator's chunks straight through and notes when it ends. */
class TimedIterator implements Iterator<Uint8Array> {
  constructor(
    private readonly inner: Iterator<Uint8Array>,
    private readonly timer: RequestTimer,
  ) {}

  next(): IteratorResult<Uint8Array> {
    let step: IteratorResult<Uint8Array>;
    try {
      step = this.inner.next();
    } catch (error) {
      this.timer.bodyError ??= error;
      throw error;
    }
    if (step.done === true) this.timer.bodyDone = true;
    return step;
  }

  return(value?: unknown): IteratorResult<Uint8Array> {
    return this.inner.return ? this.inner.return(value) : { done: true, value: undefined };
  }

  throw(error?: unknown): IteratorResult<Uint8Array> {
    if (this.inner.throw) return this.inner.throw(error);
    throw error;
  }
}

/** Passes an async iterator's chunks straight through (no buffering) and notes when it ends. */
class TimedAsyncIterator implements AsyncIterator<Uint8Array> {
  constructor(
    private readonly inner: AsyncIterator<Uint8Array>,
    private readonly timer: RequestTimer,
  ) {}

  async next(): Promise<IteratorResult<Uint8Array>> {
    let step: IteratorResult<Uint8Array>;
    try {
      step = await this.inner.next();
    } catch (error) {
      this.timer.bodyError ??= error;
      throw error;
    }
    if (step.done === true) this.timer.bodyDone = true;
    return step;
  }

  async return(value?: unknown): Promise<IteratorResult<Uint8Array>> {
    return this.inner.return ? this.inner.return(value) : { done: true, value: undefined };
  }

  async throw(error?: unknown): Promise<IteratorResult<Uint8Array>> {
    if (this.inner.throw) return this.inner.throw(error);
    throw error;
  }
}

/** A body that delegates to the app's body and reports to the timer when closed. */
class TimedBody {
  private closed = false;

  constructor(
    protected readonly inner: ResponseBody,
    protected readonly timer: RequestTimer,
  ) {}

  close(): void | Promise<void> {
    if (this.closed) return;
    this.closed = true;
    return closeThenFinish(this.inner, this.timer, true);
  }
}

/** A TimedBody over a sync iterable: stays sync, so servers keep their sync fast path. */
class TimedSyncBody extends TimedBody implements Iterable<Uint8Array> {
  [Symbol.iterator](): Iterator<Uint8Array> {
    return new TimedIterator((this.inner as Iterable<Uint8Array>)[Symbol.iterator](), this.timer);
  }
}

/** A TimedBody over an async iterable. */
class TimedAsyncBody extends TimedBody implements AsyncIterable<Uint8Array> {
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return new TimedAsyncIterator(
      (this.inner as AsyncIterable<Uint8Array>)[Symbol.asyncIterator](),
      this.timer,
    );
  }
}

/**
 * Wraps the app's body so the log line is written once the server closes it
 * (after the last chunk is written, or when the client went away).
 *
 * - An array is copied (the app may return a shared constant) and the copy
 *   gets a `close()`; it stays an array, so servers keep their array fast path.
 * - A sync iterable stays sync; an async iterable stays async. Chunks pass
 *   through one by one, never buffered.
 * - The app's own `close()` is called exactly once, from ours.
 */
export function timedBody(body: ResponseBody, timer: RequestTimer): ResponseBody {
  if (Array.isArray(body)) {
    const copy = body.slice() as Uint8Array[] & Closable;
    let closed = false;
    copy.close = () => {
      if (closed) return;
      closed = true;
      timer.bodyDone = true;
      return closeThenFinish(body as Closable, timer, false);
    };
    return copy;
  }
  if (body === null || typeof body !== 'object') {
    // Not a body at all (an app bug): pass it on untouched so the server or
    // validate() names the real problem, and log now.
    timer.finish(false);
    return body;
  }
  if (typeof (body as Iterable<Uint8Array>)[Symbol.iterator] === 'function') {
    return new TimedSyncBody(body, timer);
  }
  if (typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    return new TimedAsyncBody(body, timer);
  }
  timer.finish(false);
  return body;
}
