import { performance } from 'node:perf_hooks';
import type { Environ } from '@tsgi/spec';
import { jsonLine, textLine } from './log-line.js';
import type { ResolvedTimingOptions, TimingEntry } from './options.js';
import { wallClock } from './wall-clock.js';

/**
 * The state of one timed request: when it began, what `startResponse` saw,
 * and whether the log line was written (it is written exactly once). The
 * `TimingEntry` is only built for a `log` function or a JSON line; a text
 * line to `tsgi.errors` or a stream is made straight from these fields.
 */
export class RequestTimer {
  readonly environ: Environ;
  readonly options: ResolvedTimingOptions;
  /** `performance.now()` at the call. */
  readonly t0: number;
  status: number | undefined = undefined;
  processMs: number | undefined = undefined;
  private logged = false;

  constructor(environ: Environ, options: ResolvedTimingOptions, t0: number) {
    this.environ = environ;
    this.options = options;
    this.t0 = t0;
  }

  /**
   * Writes the log line, once. `aborted`: the body was closed before it was
   * read to its end; an `error` (from the app or its body) counts as aborted too.
   */
  finish(aborted: boolean, error?: unknown): void {
    if (this.logged) return;
    this.logged = true;
    const options = this.options;
    const lines = options.lines;
    const logger = options.logger;
    if (lines === undefined && logger === undefined) return;
    const totalMs = performance.now() - this.t0;
    const environ = this.environ;
    const id = environ['tsgi.request_id'];
    const requestId = typeof id === 'string' && id !== '' ? id : undefined;
    const path = environ.SCRIPT_NAME + environ.PATH_INFO;
    try {
      if (lines !== undefined && options.format === 'text') {
        lines(
          textLine(
            wallClock(this.t0),
            environ.REQUEST_METHOD,
            path,
            totalMs,
            requestId,
            aborted,
            error,
            '\n',
          ),
          environ,
        );
        return;
      }
      const entry: TimingEntry = {
        startTime: wallClock(this.t0),
        method: environ.REQUEST_METHOD,
        path,
        status: this.status,
        processMs: this.processMs,
        totalMs,
        requestId,
        aborted: aborted || error !== undefined,
        error,
      };
      const line = options.format === 'json' ? jsonLine(entry, options.digits) : textOf(entry);
      if (logger !== undefined) logger(line, entry, environ);
      else lines!(`${line}\n`, environ);
    } catch (logError) {
      // A broken logger must not break the response; say so where errors go.
      environ['tsgi.errors'].write(
        `timing: the log function threw: ${logError instanceof Error ? logError.message : String(logError)}\n`,
      );
    }
  }
}

function textOf(entry: TimingEntry): string {
  return textLine(
    entry.startTime,
    entry.method,
    entry.path,
    entry.totalMs,
    entry.requestId,
    entry.aborted,
    entry.error,
    '',
  );
}
