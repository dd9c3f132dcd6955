import { type Environ, isToken, LineBuffer, type LineSink } from '@tsgi/spec';

/** One finished request, as the log line describes it. */
export interface TimingEntry {
  /** Wall-clock time the request started, in epoch milliseconds (`new Date(startTime)` for a Date). */
  startTime: number;
  /** `REQUEST_METHOD`, e.g. `"GET"`. */
  method: string;
  /** `SCRIPT_NAME + PATH_INFO`, without the query string. */
  path: string;
  /** The status code the app started the response with; `undefined` when it never did (it threw). */
  status: number | undefined;
  /** Milliseconds from the call until `startResponse` (what `X-Process-Time` says); `undefined` when it never started. */
  processMs: number | undefined;
  /** Milliseconds from the call until the body was finished and closed (includes streaming). */
  totalMs: number;
  /** `environ['tsgi.request_id']` when it is a non-empty string. */
  requestId: string | undefined;
  /** True when the body was closed before it was read to its end (client went away), or the app threw. */
  aborted: boolean;
  /** The error the app or its body threw, if any. */
  error: unknown;
}

/** Where a log line goes: the line (no trailing newline), the entry it was made from, and the request's environ. */
export type TimingLogger = (line: string, entry: TimingEntry, environ: Environ) => void;

/** Options of {@link timing}. Every one is optional. */
export interface TimingOptions {
  /**
   * The response header that carries the process time, or `false` for none.
   * Default `"X-Process-Time"`. Its value is milliseconds as a plain decimal
   * number with `digits` digits after the point and no unit, e.g. `0.12`.
   */
  header?: string | false;
  /** Digits after the decimal point in the header values, 0 to 6. Default 2. */
  digits?: number;
  /**
   * Also send `Server-Timing: <name>;dur=<ms>`: `true` uses the metric name
   * `app`, a string names the metric. Default `false`.
   */
  serverTiming?: boolean | string;
  /**
   * The log line's shape: `"text"` (default) is the tutorial's
   * `[HH:MM:SS] GET /health → 0.1ms`; `"json"` is one JSON object per line.
   */
  format?: 'text' | 'json';
  /**
   * Where the log line goes once the body is finished: `true` (default)
   * writes it, with a newline, to `environ['tsgi.errors']`; a writable
   * stream (`process.stdout`, `fs.createWriteStream(path)`, anything with
   * `write`) gets it in batches through a `LineBuffer` from `@tsgi/spec`; a
   * function receives it instead; `false` turns logging off.
   */
  log?: boolean | TimingLogger | TimingLogStream;
}

/** A stream for the `log` option: a Node `Writable` or any object with a `write` method. */
export type TimingLogStream = LineSink;

/** Options after defaults and checks: what the middleware runs on. */
export interface ResolvedTimingOptions {
  header: string | undefined;
  headerLower: string | undefined;
  digits: number;
  serverTimingMetric: string | undefined;
  format: 'text' | 'json';
  /** A `log` function: gets each line without its newline, and the entry. */
  logger: TimingLogger | undefined;
  /** Else where whole lines (newline included) go: `tsgi.errors` or a stream's `LineBuffer`. */
  lines: LineWriter | undefined;
}

/** Takes one whole log line, its newline included. */
export type LineWriter = (text: string, environ: Environ) => void;

const writeToErrors: LineWriter = (text, environ) => {
  environ['tsgi.errors'].write(text);
};

function isStream(value: unknown): value is TimingLogStream {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { write?: unknown }).write === 'function'
  );
}

/** Lines to `stream` in batches: one write per 64 KiB or 100 ms, flushed on stop and exit. */
function writeToStream(stream: TimingLogStream): LineWriter {
  const buffer = new LineBuffer(stream);
  return (text) => buffer.write(text);
}

/** Applies defaults and rejects bad options with a `TypeError` that names the option. */
export function resolveTimingOptions(options: TimingOptions = {}): ResolvedTimingOptions {
  const header = options.header === undefined ? 'X-Process-Time' : options.header;
  if (header !== false && (typeof header !== 'string' || !isToken(header))) {
    throw new TypeError(`timing: "header" must be a header name or false, got ${String(header)}`);
  }
  const digits = options.digits ?? 2;
  if (!Number.isInteger(digits) || digits < 0 || digits > 6) {
    throw new TypeError(`timing: "digits" must be an integer from 0 to 6, got ${String(digits)}`);
  }
  const st = options.serverTiming ?? false;
  let serverTimingMetric: string | undefined;
  if (st === true) serverTimingMetric = 'app';
  else if (typeof st === 'string') {
    if (!isToken(st)) {
      throw new TypeError(`timing: "serverTiming" metric name must be a token, got ${st}`);
    }
    serverTimingMetric = st;
  } else if (st !== false) {
    throw new TypeError('timing: "serverTiming" must be a boolean or a metric name');
  }
  const format = options.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    throw new TypeError(`timing: "format" must be "text" or "json", got ${String(format)}`);
  }
  const logOption = options.log ?? true;
  let logger: TimingLogger | undefined;
  let lines: LineWriter | undefined;
  if (logOption === true) lines = writeToErrors;
  else if (typeof logOption === 'function') logger = logOption;
  else if (isStream(logOption)) lines = writeToStream(logOption);
  else if (logOption !== false) {
    throw new TypeError('timing: "log" must be a boolean, a function or a writable stream');
  }
  return {
    header: header === false ? undefined : header,
    headerLower: header === false ? undefined : header.toLowerCase(),
    digits,
    serverTimingMetric,
    format,
    logger,
    lines,
  };
}
