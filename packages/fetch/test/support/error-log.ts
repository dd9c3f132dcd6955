import type { ErrorStream } from '@tsgi/spec';

/** A tsgi.errors that keeps what it is given, for a test to read back. */
export function errorLog(): ErrorStream & { text: () => string } {
  let all = '';
  return {
    write: (m) => {
      all += m;
    },
    flush: () => {},
    text: () => all,
  };
}
