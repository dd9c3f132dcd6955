import type { ErrorStream } from '@tsgi/spec';

/**
 * A `tsgi.errors` for runtimes without a process standard error (workers):
 * text is kept until a newline or `flush()`, then each line goes to
 * `console.error`. Never throws [errors.2].
 *
 * @example
 * toFetchHandler(app, { errors: consoleErrors() });
 */
export function consoleErrors(): ErrorStream {
  let pending = '';
  const emit = (text: string): void => {
    try {
      console.error(text);
    } catch {
      // a console that throws loses the line, not the request
    }
  };
  return {
    write(message: string): void {
      pending += String(message);
      const end = pending.lastIndexOf('\n');
      if (end === -1) return;
      emit(pending.slice(0, end));
      pending = pending.slice(end + 1);
    },
    flush(): void {
      if (pending === '') return;
      emit(pending);
      pending = '';
    },
  };
}
