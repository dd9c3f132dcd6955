import type { ResponseBody } from '../application.js';
import type { TsgiValidationError } from '../errors.js';
import type { ResponseState } from './response-state.js';
import { show, violation } from './violation.js';

interface CloseWatch {
  closed: boolean;
  report: (error: TsgiValidationError) => void;
}

/** Reports bodies that were garbage-collected while their close() was never called (body.5). */
const unclosed = new FinalizationRegistry<CloseWatch>((watch) => {
  if (!watch.closed) {
    watch.report(
      violation('body.5', 'the body was garbage-collected but close() was never called'),
    );
  }
});

type Iter = {
  next(): IteratorResult<unknown> | Promise<IteratorResult<unknown>>;
  return?(value?: unknown): unknown;
};

function checkChunk(value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw violation('body.2', `the body yielded ${show(value)}`);
  }
  return value;
}

function checkResult(result: unknown): IteratorResult<unknown> {
  if (result === null || typeof result !== 'object') {
    throw violation('body.7', `next() returned ${show(result)}`);
  }
  return result as IteratorResult<unknown>;
}

/**
 * Checks what the application returned (body.1, or async.1 for a resolved
 * promise) and wraps it so the consumer's side is checked too: chunk types,
 * order, byte counts, single iteration and exactly one `close()`.
 */
export function wrapBody(
  body: unknown,
  state: ResponseState,
  rule: 'body.1' | 'async.1',
): ResponseBody {
  if (body === null || typeof body !== 'object' || body instanceof Uint8Array) {
    throw violation(rule, `the application returned ${show(body)}`);
  }
  const source = body as Record<PropertyKey, unknown>;
  const isAsync = typeof source[Symbol.asyncIterator] === 'function';
  if (!isAsync && typeof source[Symbol.iterator] !== 'function') {
    throw violation(rule, `the application returned ${show(body)}, which is not iterable`);
  }

  let iterated = false;
  let pending = false;
  const open = (): Iter => {
    if (state.closed) throw violation('body.6', 'the body was iterated after close()');
    if (iterated) throw violation('body.6', 'the body was iterated a second time');
    iterated = true;
    const method = (isAsync ? source[Symbol.asyncIterator] : source[Symbol.iterator]) as () => Iter;
    return method.call(body);
  };
  const before = () => {
    if (state.closed) throw violation('body.6', 'next() was called after close()');
    if (pending) throw violation('body.6', 'next() was called while a previous call was pending');
  };
  const after = (raw: unknown): IteratorResult<Uint8Array> => {
    const result = checkResult(raw);
    if (result.done) {
      state.end();
      return result as IteratorResult<Uint8Array>;
    }
    state.chunk(checkChunk(result.value), 'body');
    return result as IteratorResult<Uint8Array>;
  };

  const wrapped: Record<PropertyKey, unknown> = {};
  if (isAsync) {
    wrapped[Symbol.asyncIterator] = (): AsyncIterator<Uint8Array> => {
      const it = open();
      return {
        async next() {
          before();
          pending = true;
          let raw: unknown;
          try {
            raw = await it.next();
          } finally {
            pending = false;
          }
          return after(raw);
        },
        async return(value?: unknown) {
          await it.return?.(value);
          return { done: true, value: undefined };
        },
      };
    };
  } else {
    wrapped[Symbol.iterator] = (): Iterator<Uint8Array> => {
      const it = open();
      return {
        next() {
          before();
          pending = true;
          let raw: unknown;
          try {
            raw = it.next();
          } finally {
            pending = false;
          }
          return after(raw);
        },
        return(value?: unknown) {
          it.return?.(value);
          return { done: true, value: undefined };
        },
      };
    };
  }

  const close = source.close;
  if (typeof close === 'function') {
    const watch: CloseWatch = { closed: false, report: state.report };
    wrapped.close = () => {
      if (watch.closed) throw violation('body.5', 'close() was called a second time');
      watch.closed = true;
      state.closed = true;
      unclosed.unregister(watch);
      return close.call(body);
    };
    unclosed.register(wrapped, watch, watch);
  }
  return wrapped as unknown as ResponseBody;
}
