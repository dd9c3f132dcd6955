import { performance } from 'node:perf_hooks';
import type { Environ } from '@tsgi/spec';
import { jsonLine, textLine } from './log-line.js';
import type { ResolvedTimingOptions, TimingEntry } from './options.js';
import { wallClock } from './wall-clock.js';

/**
 * The state of one timed request: when it began, what `startResponse` saw,
 * and whether the log line was written (it is written exactly once).
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
    const log = this.options.log;
    if (log === undefined) return;
    const totalMs = performance.now() - this.t0;
    const id = this.environ['tsgi.request_id'];
    const entry: TimingEntry = {
      startTime: wallClock(this.t0),
      method: this.environ.REQUEST_METHOD,
      path: this.environ.SCRIPT_NAME + this.environ.PATH_INFO,
      status: this.status,
      processMs: this.processMs,
      totalMs,
      requestId: typeof id === 'string' && id !== '' ? id : undefined,
      aborted: aborted || error !== undefined,
      error,
    };
    const line =
      this.options.format === 'json' ? jsonLine(entry, this.options.digits) : textLine(entry);
    try {
      log(line, entry, this.environ);
    } catch (logError) {
      // A broken logger must not break the response; say so where errors go.
      this.environ['tsgi.errors'].write(
        `timing: the log function threw: ${logError instanceof Error ? logError.message : String(logError)}\n`,
      );
    }
  }
}
