import type {
  Application,
  Environ,
  ErrorStream,
  HeaderList,
  ResponseBody,
  Write,
} from '@tsgi/spec';
import { RequestBodyError, statusText } from '@tsgi/spec';
import type { AccessLogger } from './access-log.js';
import { describeError } from './error-stream.js';
import type { ResponseSink } from './response-sink.js';

/** Per-server settings the runner reads on every request. */
export interface RunnerContext {
  /** Where application errors are reported (the server's `tsgi.errors`). */
  readonly errors: ErrorStream;
  /** Put error details in 500 bodies. */
  readonly debug: boolean;
  /** The access logger, when the log is on. */
  readonly log: AccessLogger | undefined;
  /** Set to true while the server shuts down: responses then close their connection. */
  closing: boolean;
  /** Milliseconds a response may wait for `'drain'` before the connection is destroyed; 0 never. */
  readonly idleTimeout: number;
  /**
   * True when the sink itself refuses invalid header names and values (and
   * reason phrases) by throwing from `writeHead`, as `ServerResponse` does:
   * the runner then skips its own identical checks. Leave it unset for a sink
   * that writes headers raw.
   */
  sinkChecksHeaders?: boolean;
  /**
   * True when the sink's `end` also takes `(string, 'latin1')` and writes that
   * string's chars as bytes, as `ServerResponse` does: small one-chunk bodies
   * then go out glued to the headers in one string.
   */
  sinkTakesLatin1?: boolean;
}

/** Bodies up to this size take the latin1 path (see `sinkTakesLatin1`). */
const SMALL_BODY = 4096;
/** Node's `Buffer.prototype.latin1Slice`; works on any `Uint8Array`. */
const latin1Slice = (
  Buffer.prototype as unknown as {
    latin1Slice(this: Uint8Array, start: number, end: number): string;
  }
).latin1Slice;
/** A sink whose `end` takes a latin1 string. */
type LatinSink = { end(chunk: string, encoding: 'latin1'): unknown };

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
/** A status line split into code and reason; `clean` when the reason holds no control character. */
interface ParsedStatus {
  readonly code: number;
  readonly reason: string;
  readonly clean: boolean;
}

/** Parsed status lines by their text; an app sends the same few over and over. Bounded. */
const statusCache = new Map<string, ParsedStatus>();
const STATUS_CACHE_MAX = 256;
let lastStatus: string | undefined;
let lastParsed: ParsedStatus | undefined;
const encoder = new TextEncoder();
const RESOLVED: Promise<void> = Promise.resolve();

/** The response body and the `Content-Length` header disagree. */
class ContentLengthMismatch extends Error {
  override name = 'ContentLengthMismatch';
}

/**
 * Runs `app` for one request and writes its response to `sink`: the transport-
 * independent core shared by the HTTP server and the uwsgi listener.
 *
 * It calls the app, sends the headers with the first non-empty chunk, streams
 * the body with backpressure, polices `Content-Length`, answers errors with a
 * 500 (or the `RequestBodyError`'s status) when the headers are not out yet and
 * destroys the connection when they are, and calls the body's `close()` exactly
 * once whatever happens. Sync array bodies are written in one go, without promises.
 *
 * Low-level: most code wants `createHandler` or `serve`.
 *
 * @example
 * runApplication(app, environ, res, { errors, debug: false, log: undefined, closing: false });
 */
export function runApplication(
  app: Application,
  environ: Environ,
  sink: ResponseSink,
  context: RunnerContext,
): void {
  const exchange = new Exchange(environ, sink, context);
  let result: ResponseBody | Promise<ResponseBody>;
  try {
    result = app(environ, exchange.startResponse);
  } catch (error) {
    exchange.fail(error);
    return;
  }
  if (Array.isArray(result)) {
    // The common sync case, checked first: an array has no `then` to look up.
    exchange.run(result);
  } else if (result !== null && typeof (result as Promise<ResponseBody>).then === 'function') {
    // No 'close' listener while the app works: run() sees a connection that died
    // meanwhile (sink.destroyed), and streaming bodies start watching there.
    (result as Promise<ResponseBody>).then(
      (body) => exchange.run(body),
      (error) => exchange.fail(error),
    );
  } else {
    exchange.run(result as ResponseBody);
  }
}

/** The state of one request/response; internal to `runApplication`. */
class Exchange {
  readonly startResponse: (status: string, headers: HeaderList, excInfo?: unknown) => Write;
  private readonly environ: Environ;
  private readonly sink: ResponseSink;
  private readonly context: RunnerContext;
  private readonly startedAt: number;
  /** The server's own input, kept before a middleware can wrap `tsgi.input`. */
  private readonly input: { exceeded?: boolean };
  private code = 0;
  private reason = '';
  private head: string[] | undefined;
  /** The app's Content-Length, or -1. */
  private declared = -1;
  private sent = 0;
  private noBody = false;
  private headersSent = false;
  /** `sink.end()` was called: nothing more goes to the client. */
  private ended = false;
  /** The exchange is over: body closed, log written. */
  private finished = false;
  /** The client went away before the response ended. */
  private gone = false;
  private closed = false;
  private watching = false;
  private body: ResponseBody | undefined;
  private writer: Write | undefined;
  private drain: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private stallTimer: NodeJS.Timeout | undefined;

  constructor(environ: Environ, sink: ResponseSink, context: RunnerContext) {
    this.environ = environ;
    this.sink = sink;
    this.context = context;
    this.input = environ['tsgi.input'] as { exceeded?: boolean };
    this.startedAt = context.log === undefined ? 0 : performance.now();
    this.startResponse = (status, headers, excInfo) => this.start(status, headers, excInfo);
  }

  private start(status: string, headers: HeaderList, excInfo: unknown): Write {
    if (excInfo !== undefined && excInfo !== null) {
      if (this.headersSent) throw excInfo;
    } else if (this.head !== undefined) {
      throw new Error('startResponse was called twice without excInfo');
    }
    // The same status string as the last response (an app's constant) skips the lookup.
    let parsed = status === lastStatus ? lastParsed : statusCache.get(status);
    if (parsed === undefined) {
      parsed = parseStatus(status, this.context.sinkChecksHeaders !== true);
      // Only lines that pass every check are kept, so a cached one is good for any sink.
      if (parsed.clean && status.length <= 64 && statusCache.size < STATUS_CACHE_MAX) {
        statusCache.set(status, parsed);
      }
    }
    if (parsed.clean) {
      lastStatus = status;
      lastParsed = parsed;
    }
    const code = parsed.code;
    const reason = parsed.reason;
    const check = this.context.sinkChecksHeaders !== true;
    if (!Array.isArray(headers))
      throw new TypeError('startResponse: headers must be an array of [name, value]');
    const head = new Array<string>(headers.length * 2);
    let declared = -1;
    for (let i = 0; i < headers.length; i++) {
      const pair = headers[i];
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new TypeError(`startResponse: header #${i} is not a [name, value] pair`);
      }
      const name = pair[0];
      const value = pair[1];
      if (typeof name !== 'string' || (check && !TOKEN.test(name))) {
        throw new TypeError(
          `startResponse: header name ${JSON.stringify(name)} is not a valid token`,
        );
      }
      if (typeof value !== 'string' || (check && BAD_VALUE.test(value))) {
        throw new TypeError(
          `startResponse: value of header ${name} must be a string without CR, LF or other control characters`,
        );
      }
      if (
        name.length === 14 &&
        (name === 'Content-Length' || name.toLowerCase() === 'content-length')
      ) {
        const length = parseLength(value);
        if (length === -1 || (declared !== -1 && length !== declared)) {
          throw new TypeError(`startResponse: bad Content-Length ${JSON.stringify(value)}`);
        }
        declared = length;
      }
      head[i * 2] = name;
      head[i * 2 + 1] = value;
    }
    this.code = code;
    this.reason = reason;
    this.head = head;
    this.declared = declared;
    this.noBody = code === 204 || code === 304 || this.environ.REQUEST_METHOD === 'HEAD';
    if (this.writer === undefined) this.writer = (chunk) => this.legacyWrite(chunk);
    return this.writer;
  }

  /** Takes the app's body and sends it. */
  run(body: ResponseBody): void {
    this.body = body;
    if (!this.finished && this.sink.destroyed) this.clientGone();
    if (this.finished) {
      this.closeBody();
      return;
    }
    try {
      if (Array.isArray(body)) {
        this.runArray(body as Uint8Array[]);
        return;
      }
      if (body === null || typeof body !== 'object') {
        throw new TypeError(
          `the application returned ${body === null ? 'null' : typeof body}, not an iterable body`,
        );
      }
      if (typeof (body as Iterable<Uint8Array>)[Symbol.iterator] === 'function') {
        this.pumpSync((body as Iterable<Uint8Array>)[Symbol.iterator]());
        return;
      }
      if (typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
        this.watch();
        void this.pumpAsync((body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]());
        return;
      }
      throw new TypeError(
        'the application returned a body that is neither iterable nor async iterable',
      );
    } catch (error) {
      this.fail(error);
    }
  }

  /** Sync fast path: the whole body is in memory, write it without promises. */
  private runArray(body: Uint8Array[]): void {
    if (this.head === undefined)
      throw new Error('the application returned a body without calling startResponse');
    const length = body.length;
    if (!this.headersSent && length <= 1) {
      // One write: status line, headers and body together. A body of known size
      // gets its Content-Length, as PEP 3333 allows for a one-element body.
      const chunk = length === 1 ? body[0] : undefined;
      if (chunk !== undefined && !(chunk instanceof Uint8Array)) throw chunkTypeError(chunk);
      const size = chunk === undefined ? 0 : chunk.byteLength;
      if (this.declared === -1) {
        // Not for 204/304, and not for an empty HEAD body: the GET body's size is unknown.
        if (this.noBody ? size > 0 && this.code !== 204 && this.code !== 304 : true) {
          this.head.push('Content-Length', String(size));
        }
      } else if (this.declared !== size && !this.noBody) {
        throw new ContentLengthMismatch(
          `response body is ${size} bytes but its Content-Length says ${this.declared}`,
        );
      }
      this.sendHead();
      this.ended = true;
      if (this.noBody || size === 0) {
        this.sink.end();
      } else {
        this.sent = size;
        if (size <= SMALL_BODY && this.context.sinkTakesLatin1 === true) {
          // ServerResponse glues a latin1 string body onto the header string and
          // writes one string; a byte body goes out as a second writev chunk.
          // latin1 maps each byte to one char and back, so the bytes are exact.
          (this.sink as unknown as LatinSink).end(latin1Slice.call(chunk!, 0, size), 'latin1');
        } else {
          this.sink.end(chunk);
        }
      }
      this.complete();
      return;
    }
    const sink = this.sink;
    sink.cork?.();
    try {
      for (let i = 0; i < length && !this.ended; i++) this.send(body[i]);
    } finally {
      sink.uncork?.();
    }
    this.finish();
  }

  private pumpSync(iterator: Iterator<Uint8Array>): void {
    try {
      for (;;) {
        if (this.finished) {
          stopIterator(iterator);
          return;
        }
        const step = iterator.next();
        if (step.done) break;
        if (!this.send(step.value)) {
          this.watch();
          this.drained().then(() => this.pumpSync(iterator));
          return;
        }
        if (this.ended) {
          stopIterator(iterator);
          break;
        }
      }
      this.finish();
    } catch (error) {
      this.fail(error);
    }
  }

  private async pumpAsync(iterator: AsyncIterator<Uint8Array>): Promise<void> {
    try {
      for (;;) {
        if (this.finished) {
          stopIterator(iterator);
          return;
        }
        const step = await iterator.next();
        if (this.finished) {
          stopIterator(iterator);
          return;
        }
        if (step.done) break;
        if (!this.send(step.value)) await this.drained();
        if (this.ended) {
          stopIterator(iterator);
          break;
        }
      }
      this.finish();
    } catch (error) {
      this.fail(error);
    }
  }

  /** Sends one body chunk; false when the caller should wait for drain. */
  private send(chunk: unknown): boolean {
    if (!(chunk instanceof Uint8Array)) throw chunkTypeError(chunk);
    const size = chunk.byteLength;
    if (size === 0 || this.ended) return true;
    if (this.head === undefined)
      throw new Error('the application sent body bytes before calling startResponse');
    if (this.noBody) {
      // HEAD/204/304: the headers go out now, the bytes never do.
      this.sendHead();
      this.ended = true;
      this.sink.end();
      return true;
    }
    if (this.declared !== -1 && this.sent + size > this.declared) {
      throw new ContentLengthMismatch(
        `response body is longer than its Content-Length of ${this.declared} bytes`,
      );
    }
    if (!this.headersSent) this.sendHead();
    this.sent += size;
    return this.sink.write(chunk);
  }

  private sendHead(): void {
    const sink = this.sink;
    if (this.context.closing || this.input.exceeded === true) sink.shouldKeepAlive = false;
    sink.writeHead(this.code, this.reason, this.head!);
    this.headersSent = true;
  }

  /** The body is exhausted: end the response, or fail on a short Content-Length. */
  private finish(): void {
    if (this.finished) return;
    if (!this.ended) {
      if (this.head === undefined)
        throw new Error('the application returned a body without calling startResponse');
      if (this.declared !== -1 && !this.noBody && this.sent !== this.declared) {
        throw new ContentLengthMismatch(
          `response body is ${this.sent} bytes but its Content-Length says ${this.declared}`,
        );
      }
      if (!this.headersSent) this.sendHead();
      this.ended = true;
      this.sink.end();
    }
    this.complete();
  }

  private legacyWrite(chunk: Uint8Array): Promise<void> {
    if (!(chunk instanceof Uint8Array)) throw chunkTypeError(chunk);
    if (this.finished || this.ended) return RESOLVED;
    try {
      if (this.send(chunk)) return RESOLVED;
      this.watch();
      return this.drained();
    } catch (error) {
      this.fail(error);
      return RESOLVED;
    }
  }

  /** Listens for the client going away; only paths that wait need it. */
  watch(): void {
    if (this.watching) return;
    this.watching = true;
    this.sink.on('close', () => {
      if (!this.sink.writableFinished) this.clientGone();
      this.wakeUp();
    });
  }

  private drained(): Promise<void> {
    // A connection already gone emits no more 'drain' (and maybe no 'close' we heard).
    if (!this.finished && this.sink.destroyed) this.clientGone();
    if (this.finished) return RESOLVED;
    if (this.drain === undefined) {
      if (this.wake === undefined) {
        // first wait: one listener for the whole exchange
        this.sink.on('drain', () => this.wakeUp());
      }
      this.drain = new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      const timeout = this.context.idleTimeout;
      if (timeout > 0) {
        // A client that reads nothing for this long is cut off: 'close' follows,
        // which ends the exchange and closes the body.
        this.stallTimer = setTimeout(() => this.sink.destroy(), timeout);
      }
    }
    return this.drain;
  }

  private wakeUp(): void {
    const wake = this.wake;
    if (wake === undefined || this.drain === undefined) return;
    this.drain = undefined;
    if (this.stallTimer !== undefined) {
      clearTimeout(this.stallTimer);
      this.stallTimer = undefined;
    }
    wake();
  }

  private clientGone(): void {
    if (this.finished) return;
    this.gone = true;
    this.complete();
  }

  /** Handles an error from the app, its body, or our own checks. */
  fail(error: unknown): void {
    const errors = this.context.errors;
    if (this.finished) {
      if (!this.gone) errors.write(`tsgi: error after the response ended: ${describeError(error)}`);
      return;
    }
    const bodyError = error instanceof RequestBodyError;
    if (!bodyError) {
      errors.write(
        `tsgi: ${this.environ.REQUEST_METHOD} ${this.environ.REQUEST_URI}: ${describeError(error)}`,
      );
    }
    const sink = this.sink;
    if (!this.headersSent && !this.ended && !sink.destroyed) {
      const status = bodyError ? (error as RequestBodyError).status : 500;
      const text = bodyError
        ? `${(error as Error).message}\n`
        : this.context.debug
          ? describeError(error)
          : 'Internal Server Error\n';
      const bytes = encoder.encode(text);
      this.code = status;
      this.reason = statusText(status);
      this.head = [
        'Content-Type',
        'text/plain; charset=utf-8',
        'Content-Length',
        String(bytes.byteLength),
      ];
      try {
        this.sendHead();
        this.ended = true;
        if (this.environ.REQUEST_METHOD === 'HEAD') {
          sink.end();
        } else {
          this.sent = bytes.byteLength;
          sink.end(bytes);
        }
      } catch (writeError) {
        errors.write(`tsgi: could not send the error response: ${describeError(writeError)}`);
        sink.destroy();
      }
    } else {
      // Headers are out: the only honest thing left is to cut the connection.
      this.ended = true;
      sink.destroy();
    }
    this.complete();
  }

  /** Ends the exchange: close the body once, write the access log line. */
  private complete(): void {
    if (this.finished) return;
    this.finished = true;
    this.wakeUp();
    this.closeBody();
    const log = this.context.log;
    if (log !== undefined) {
      try {
        log(this.environ, this.gone ? 499 : this.code, this.sent, this.startedAt);
      } catch (error) {
        this.context.errors.write(`tsgi: access log failed: ${describeError(error)}`);
      }
    }
  }

  private closeBody(): void {
    const body = this.body;
    if (this.closed || body === undefined) return;
    if (body === null || typeof body !== 'object' || typeof body.close !== 'function') return;
    this.closed = true;
    try {
      const result = body.close();
      if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
        (result as Promise<void>).then(undefined, (error: unknown) => {
          this.context.errors.write(`tsgi: body close() failed: ${describeError(error)}`);
        });
      }
    } catch (error) {
      this.context.errors.write(`tsgi: body close() failed: ${describeError(error)}`);
    }
  }
}

/**
 * Checks a `startResponse` status (`"NNN Reason"`, 200-599) and splits it; throws
 * a TypeError naming the problem. `checkReason` refuses control characters in the
 * reason phrase (when the sink does not).
 */
function parseStatus(status: string, checkReason: boolean): ParsedStatus {
  if (typeof status !== 'string' || status.length < 4 || status.charCodeAt(3) !== 32) {
    throw new TypeError(
      `startResponse: status must be "NNN Reason", got ${JSON.stringify(status)}`,
    );
  }
  const code = Number(status.slice(0, 3));
  if (!Number.isInteger(code) || code < 200 || code > 599) {
    throw new TypeError(
      `startResponse: status code must be 200-599, got ${JSON.stringify(status)}`,
    );
  }
  const reason = status.slice(4);
  const clean = !BAD_VALUE.test(reason);
  if (checkReason && !clean) {
    throw new TypeError('startResponse: the reason phrase holds a control character');
  }
  return { code, reason, clean };
}

/** A `Content-Length` value (ASCII digits only) as a number; -1 when it is not one. */
function parseLength(value: string): number {
  const length = value.length;
  if (length === 0 || length > 15) return -1;
  let n = 0;
  for (let i = 0; i < length; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

function chunkTypeError(chunk: unknown): TypeError {
  const kind =
    chunk === null
      ? 'null'
      : typeof chunk === 'object'
        ? (chunk.constructor?.name ?? 'object')
        : typeof chunk;
  return new TypeError(`body chunks must be Uint8Array, got ${kind}`);
}

function stopIterator(iterator: Iterator<Uint8Array> | AsyncIterator<Uint8Array>): void {
  try {
    const result = iterator.return?.();
    if (result !== undefined && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).then(undefined, () => {});
    }
  } catch {
    // the body's own cleanup failed; close() still runs
  }
}
