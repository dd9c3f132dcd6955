import type { ErrorStream } from '../environ.js';
import { show, violation } from './violation.js';

/** Wraps `tsgi.errors`: the application writes strings (errors.1), the server never throws (errors.2). */
export function wrapErrors(inner: ErrorStream): ErrorStream {
  return {
    write(...args: unknown[]): void {
      const message = args[0];
      if (args.length !== 1 || typeof message !== 'string') {
        throw violation(
          'errors.1',
          `write was called with ${args.map(show).join(', ') || 'nothing'}`,
        );
      }
      try {
        inner.write(message);
      } catch (error) {
        throw violation('errors.2', `tsgi.errors.write threw ${String(error)}`);
      }
    },
    flush(): void {
      try {
        inner.flush();
      } catch (error) {
        throw violation('errors.2', `tsgi.errors.flush threw ${String(error)}`);
      }
    },
  };
}
