import type { Writable } from 'node:stream';
import type { ErrorStream } from '@tsgi/spec';

/**
 * Turns the `errors` option into the `ErrorStream` every request's
 * `tsgi.errors` points at (one shared instance per server).
 * A value that already has `write` and `flush` is used as is.
 */
export function createErrorStream(target?: Pick<Writable, 'write'> | ErrorStream): ErrorStream {
  if (target === undefined) return stderrStream;
  if (typeof (target as ErrorStream).flush === 'function') return target as ErrorStream;
  const writable = target as Pick<Writable, 'write'>;
  return {
    write(message: string): void {
      writable.write(message);
    },
    flush(): void {},
  };
}

const stderrStream: ErrorStream = {
  write(message: string): void {
    process.stderr.write(message);
  },
  flush(): void {},
};

/** Formats an error with its stack for `tsgi.errors`, ending in a newline. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.stack ?? `${error.name}: ${error.message}`}\n`;
  return `non-Error thrown: ${String(error)}\n`;
}
