import type { Writable } from 'node:stream';
import { LineBuffer } from '@tsgi/spec';
import type { AccessLogFormat, AccessLogger, LogRequest } from '../contracts/access-log.js';
import { describeError } from './error-stream.js';
import { jsonLine } from './json-line.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

let clfSecond = Number.NaN;
let clfText = '';

/** `10/Oct/2000:13:55:36 +0000`, the Common Log Format time of `ms` in UTC, made once per second. */
function clfTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== clfSecond) {
    const date = new Date(ms);
    clfSecond = second;
    clfText = `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(
      date.getUTCHours(),
    )}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
  }
  return clfText;
}

/** Escapes `"` and control characters so a request line cannot forge a log line. */
function quoteSafe(value: string): string {
  return value.replace(
    /["\\\x00-\x1f\x7f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/** One Common Log Format line (with a trailing newline). */
function commonLine(environ: LogRequest, status: number, bytes: number, now: number): string {
  // An unreadable request line is "-", as Nginx writes it.
  const request =
    environ.REQUEST_METHOD === ''
      ? '-'
      : `${environ.REQUEST_METHOD} ${environ.REQUEST_URI} ${environ.SERVER_PROTOCOL}`;
  const drain = environ.drain === undefined ? '' : ` drain=${environ.drain}`;
  return `${environ.REMOTE_ADDR || '-'} - - [${clfTime(now)}] "${quoteSafe(request)}" ${status} ${
    bytes === 0 ? '-' : bytes
  }${drain}\n`;
}

/**
 * Builds the logger for the `accessLog` option, or `undefined` when it is
 * off. Lines go through a `LineBuffer` (`@tsgi/spec`): one write per batch
 * (64 KiB or 100 ms), flushed when a listener closes or drains and
 * at process exit.
 */
export function createAccessLogger(
  format: false | AccessLogFormat | undefined,
  stream: Pick<Writable, 'write'> = process.stdout,
): AccessLogger | undefined {
  if (format === undefined || format === false) return undefined;
  if (format === 'common') {
    const out = new LineBuffer(stream);
    return (environ, status, bytes) => {
      out.write(commonLine(environ, status, bytes, Date.now()));
    };
  }
  if (format === 'json') {
    const out = new LineBuffer(stream);
    return (environ, status, bytes, startedAt) => {
      out.write(jsonLine(environ, status, bytes, Date.now(), performance.now() - startedAt));
    };
  }
  throw new TypeError(
    `@tsgi/node: accessLog must be false, 'common' or 'json', got ${JSON.stringify(format)}`,
  );
}

/**
 * Logs a request the app never saw (refused with 400/408/413/414/431, by the
 * parser or by the server's own checks): `status` and the length of the
 * answer's `body`. `describe` reads what can be read of the request, and runs
 * only when the log is on. A failing logger is reported on `errors`, never thrown.
 */
export function logRefusal(
  log: AccessLogger | undefined,
  errors: { write(message: string): void },
  describe: () => LogRequest,
  status: number,
  body: string,
): void {
  if (log === undefined) return;
  try {
    log(describe(), status, Buffer.byteLength(body), performance.now(), true);
  } catch (error) {
    errors.write(`tsgi: access log failed: ${describeError(error)}`);
  }
}

/**
 * `first`, then `second`, as one logger (the second runs even when the first
 * throws, and the first's error is rethrown); either alone when the other is off.
 */
export function chainLoggers(
  first: AccessLogger | undefined,
  second: AccessLogger | undefined,
): AccessLogger | undefined {
  if (first === undefined) return second;
  if (second === undefined) return first;
  return (environ, status, bytes, startedAt, refused) => {
    try {
      first(environ, status, bytes, startedAt, refused);
    } finally {
      second(environ, status, bytes, startedAt, refused);
    }
  };
}
