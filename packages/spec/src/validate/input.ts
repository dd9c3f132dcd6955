import type { InputStream } from '../environ.js';
import { show, violation } from './violation.js';

/**
 * Wraps `tsgi.input` so both sides are checked: the application's calls
 * (input.1, input.6) and what the server's stream resolves (input.2–5, 7, 8).
 */
export function wrapInput(inner: InputStream, contentLength: number | undefined): InputStream {
  let pending = false;
  let ended = false;
  let readAll = false;
  let total = 0;

  const begin = (what: string) => {
    if (pending) throw violation('input.6', `${what} while another read is pending`);
    pending = true;
  };
  const count = (bytes: number) => {
    total += bytes;
    if (contentLength !== undefined && total > contentLength) {
      throw violation(
        'input.5',
        `the input yielded ${total} bytes, CONTENT_LENGTH is ${contentLength}`,
      );
    }
  };
  const finish = () => {
    if (contentLength !== undefined && total < contentLength) {
      throw violation(
        'input.8',
        `the input ended after ${total} of ${contentLength} bytes without rejecting`,
      );
    }
    ended = true;
  };

  return {
    async read(...args: unknown[]): Promise<Uint8Array> {
      const size = args[0];
      if (
        args.length > 1 ||
        (size !== undefined && !(Number.isInteger(size) && (size as number) > 0))
      ) {
        throw violation('input.1', `read was called with ${args.map(show).join(', ')}`);
      }
      begin('read() was called');
      let chunk: unknown;
      try {
        chunk = await inner.read(size as number | undefined);
      } finally {
        pending = false;
      }
      if (!(chunk instanceof Uint8Array)) {
        throw violation('input.2', `read resolved to ${show(chunk)}, not a Uint8Array`);
      }
      const n = chunk.byteLength;
      if (size !== undefined && n > (size as number)) {
        throw violation('input.2', `read(${size}) resolved to ${n} bytes`);
      }
      if (n > 0 && ended) {
        throw violation('input.4', `read resolved to ${n} bytes after the input had ended`);
      }
      if (n > 0 && readAll) {
        throw violation('input.3', `read resolved to ${n} more bytes after read() took the rest`);
      }
      count(n);
      if (n === 0) finish();
      if (size === undefined) {
        readAll = true;
        if (contentLength !== undefined && total < contentLength) {
          throw violation(
            'input.3',
            `read() resolved to ${n} bytes, leaving ${contentLength - total} of CONTENT_LENGTH unread`,
          );
        }
      }
      return chunk;
    },

    [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
      let it: AsyncIterator<Uint8Array> | undefined;
      return {
        async next(): Promise<IteratorResult<Uint8Array>> {
          begin('the input iterator’s next() was called');
          let result: IteratorResult<Uint8Array>;
          try {
            it ??= inner[Symbol.asyncIterator]();
            result = await it.next();
          } finally {
            pending = false;
          }
          if (result.done) {
            if (!ended) finish();
            return result;
          }
          const chunk: unknown = result.value;
          if (!(chunk instanceof Uint8Array) || chunk.byteLength === 0) {
            throw violation('input.7', `the input iterator yielded ${show(chunk)}`);
          }
          if (ended || readAll) {
            throw violation(
              'input.4',
              `the input yielded ${chunk.byteLength} bytes after it ended`,
            );
          }
          count(chunk.byteLength);
          return result;
        },
        async return(value?: unknown): Promise<IteratorResult<Uint8Array>> {
          await it?.return?.(value);
          return { done: true, value: undefined };
        },
      };
    },
  };
}
