import type { Write } from '../application.js';
import type { ResponseState } from './response-state.js';
import { isThenable } from './thenable.js';
import { show, violation } from './violation.js';

/**
 * Wraps the server's legacy `write`: one `Uint8Array` per call (write.1), only
 * while the response is open (write.2); a promise that rejects is reported
 * through `onViolation` (write.3), since the caller may not await it.
 */
export function wrapWrite(inner: Write, state: ResponseState): Write {
  return (...args: unknown[]): Promise<void> => {
    const chunk = args[0];
    if (args.length !== 1 || !(chunk instanceof Uint8Array)) {
      throw violation('write.1', `write was called with ${args.map(show).join(', ') || 'nothing'}`);
    }
    if (state.ended || state.closed) {
      throw violation('write.2', 'write was called after the body had ended');
    }
    state.chunk(chunk, 'write');
    const result: unknown = inner(chunk);
    if (!isThenable(result)) {
      throw violation('write.3', `write returned ${show(result)}, not a promise`);
    }
    return Promise.resolve(result).then(
      () => undefined,
      (error: unknown) => {
        state.report(violation('write.3', `the promise write returned rejected: ${String(error)}`));
      },
    );
  };
}
