import { performance } from 'node:perf_hooks';
import {
  checkContentLength,
  type Environ,
  type HeaderList,
  RequestBodyError,
  type ResponseBody,
  type Write,
} from '@tsgi/spec';
import { APP_ERROR, type MaybeFailed } from '../contracts/app-error.js';
import { describeError } from '../log/error-stream.js';
import { Backpressure } from './backpressure.js';
import { sendText } from './error-response.js';
import { type HeadTarget, readHeaders } from './head.js';
import { Phase } from './phase.js';
import type { RunnerContext } from './runner-context.js';
import type { ResponseSink } from './sink.js';
import { StatusCache } from './status.js';

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * The state of one request/response, driven by `runApplication`: what the app
 * started, how far the response got (`phase`, the one field for it), and the
 * transitions every path shares (send the head, send a chunk, finish, fail,
 * complete). The body pumps (`body-pump.ts`) and the error answers
 * (`error-response.ts`) work on it; nothing outside `response/` does.
 */
export class Exchange implements HeadTarget {
  /** The `startResponse` the app gets. */
  readonly startResponse: (status: string, headers: HeaderList, excInfo?: unknown) => Write;
  readonly environ: Environ;
  readonly sink: ResponseSink;
  readonly context: RunnerContext;
  /** How far the response got; it only moves forward (see `phase.ts`). */
  phase: Phase = Phase.Started;
  /** The status code the app set (the access log's status). */
  code = 0;
  private reason = '';
  /** The app's headers as a flat list; undefined until `startResponse`. */
  head: string[] | undefined = undefined;
  /** The app's Content-Length, or -1. */
  declared = -1;
  /** Body bytes handed to the sink. */
  sent = 0;
  /** HEAD, 204 or 304: headers only. */
  noBody = false;
  private readonly startedAt: number;
  /** The server's own input, kept before a middleware can wrap `tsgi.input`. */
  private readonly input: { exceeded?: boolean };
  private body: ResponseBody | undefined = undefined;
  private writer: Write | undefined = undefined;
  /** Backpressure, made at the first wait for `'drain'`. */
  private waiter: Backpressure | undefined = undefined;
  /** A `'close'` listener is on the sink. */
  private watching = false;

  constructor(environ: Environ, sink: ResponseSink, context: RunnerContext) {
    this.environ = environ;
    this.sink = sink;
    this.context = context;
    this.input = environ['tsgi.input'] as { exceeded?: boolean };
    this.startedAt = context.log === undefined ? 0 : performance.now();
    // Bound methods, not arrow functions over `this`: measured under load on
    // a fresh process, exchanges with such a closure survived the young
    // generation's scavenges with their whole request until the next full GC
    // (up to 1.3 MB a scavenge on one connection), which made V8 grow its young
    // generation; bound methods do not.
    this.startResponse = this.start.bind(this) as Exchange['startResponse'];
  }

  private start(status: string, headers: HeaderList, excInfo: unknown): Write {
    if (this.code === 101)
      throw new Error('startResponse was called after tsgi.websocket.accept()');
    if (excInfo !== undefined && excInfo !== null) {
      if (this.phase >= Phase.HeadSent) throw excInfo;
      // An error the app answered itself (`catchErrors`, the router): the metrics' error_type.
      if (!(excInfo instanceof RequestBodyError))
        (this.environ as MaybeFailed)[APP_ERROR] = excInfo;
    } else if (this.head !== undefined) {
      throw new Error('startResponse was called twice without excInfo');
    }
    const context = this.context;
    const check = context.sinkChecksHeaders !== true;
    context.statuses ??= new StatusCache();
    const parsed = context.statuses.parse(status, check);
    readHeaders(headers, check, this);
    const code = parsed.code;
    this.code = code;
    this.reason = parsed.reason;
    this.noBody = code === 204 || code === 304 || this.environ.REQUEST_METHOD === 'HEAD';
    if (this.writer === undefined) this.writer = this.legacyWrite.bind(this) as Write;
    return this.writer;
  }

  /**
   * The app accepted a WebSocket (`tsgi.websocket.accept()`): nothing more
   * goes through this exchange; the access log shows 101. Throws when the app
   * called `startResponse` first, which denied the upgrade.
   */
  switchProtocols(): void {
    if (this.head !== undefined)
      throw new Error('tsgi.websocket.accept() was called after startResponse denied the upgrade');
    if (this.phase >= Phase.Finished)
      throw new Error('tsgi.websocket.accept() was called after the request ended');
    this.code = 101;
    this.phase = Phase.Ended;
    this.complete(Phase.Finished);
  }

  /**
   * Takes the app's body; false when the exchange is over already (its body
   * is then closed) or the client is gone, and nothing is to be sent.
   */
  adopt(body: ResponseBody): boolean {
    this.body = body;
    if (this.phase >= Phase.Finished) {
      // Over before the body came (an error, a client gone): complete() had nothing to close.
      this.closeBody();
      return false;
    }
    if (this.sink.destroyed) {
      this.complete(Phase.Gone);
      return false;
    }
    return true;
  }

  /** Sends one body chunk; false when the caller should wait for drain. */
  send(chunk: unknown): boolean {
    if (!(chunk instanceof Uint8Array)) throw chunkTypeError(chunk);
    const size = chunk.byteLength;
    if (size === 0 || this.phase >= Phase.Ended) return true;
    if (this.head === undefined)
      throw new Error('the application sent body bytes before calling startResponse');
    if (this.noBody) {
      // HEAD/204/304: the headers go out now, the bytes never do.
      this.sendHead();
      this.phase = Phase.Ended;
      this.sink.end();
      return true;
    }
    const sent = this.sent + size;
    checkContentLength(this.declared, sent, false);
    if (this.phase === Phase.Started) this.sendHead();
    this.sent = sent;
    return this.sink.write(chunk);
  }

  /** Hands the status line and headers to the sink. */
  sendHead(): void {
    this.beforeHead();
    this.sink.writeHead(this.code, this.reason, this.head!);
    this.phase = Phase.HeadSent;
  }

  /** Keeps the connection from being reused while the server closes or after an unread body. */
  beforeHead(): void {
    if (this.context.closing || this.input.exceeded === true) this.sink.shouldKeepAlive = false;
  }

  /** The body is exhausted: end the response, or throw on a short Content-Length. */
  finish(): void {
    if (this.phase >= Phase.Finished) return;
    if (this.phase < Phase.Ended) {
      if (this.head === undefined)
        throw new Error('the application returned a body without calling startResponse');
      if (!this.noBody) checkContentLength(this.declared, this.sent, true);
      if (this.phase === Phase.Started) this.sendHead();
      this.phase = Phase.Ended;
      this.sink.end();
    }
    this.complete(Phase.Finished);
  }

  private legacyWrite(chunk: Uint8Array): Promise<void> {
    if (!(chunk instanceof Uint8Array)) throw chunkTypeError(chunk);
    if (this.phase >= Phase.Ended) return RESOLVED;
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
      if (!this.sink.writableFinished) this.complete(Phase.Gone);
      this.waiter?.wake();
    });
  }

  /** Resolves when the sink takes more, or at once when the exchange is over. */
  drained(): Promise<void> {
    // A connection already gone emits no more 'drain' (and maybe no 'close' we heard).
    if (this.phase < Phase.Finished && this.sink.destroyed) this.complete(Phase.Gone);
    if (this.phase >= Phase.Finished) return RESOLVED;
    this.waiter ??= new Backpressure(this.sink, this.context.idleTimeout);
    return this.waiter.wait();
  }

  /**
   * Answers an error from the app, its body or the runner's own checks. Before
   * any byte went out the client gets a plain-text 500 (the error's stack in it
   * with `debug`), or the `RequestBodyError`'s own status and message (400, 413);
   * once the headers are out the only honest thing left is to destroy the
   * connection. Errors are reported on `tsgi.errors` (but a `RequestBodyError`,
   * which is the client's doing, and one after the client went away). Ends the
   * exchange.
   */
  fail(error: unknown): void {
    const errors = this.context.errors;
    if (this.phase >= Phase.Finished) {
      if (this.phase !== Phase.Gone) {
        errors.write(`tsgi: error after the response ended: ${describeError(error)}`);
      }
      return;
    }
    const environ = this.environ;
    const bodyError = error instanceof RequestBodyError;
    if (!bodyError) {
      (environ as MaybeFailed)[APP_ERROR] = error;
      errors.write(
        `tsgi: ${environ.REQUEST_METHOD} ${environ.REQUEST_URI}: ${describeError(error)}`,
      );
    }
    const sink = this.sink;
    if (this.phase === Phase.Started && !sink.destroyed) {
      const code = bodyError ? error.status : 500;
      const text = bodyError
        ? `${error.message}\n`
        : this.context.debug
          ? describeError(error)
          : 'Internal Server Error\n';
      this.code = code;
      try {
        this.beforeHead();
        this.sent = sendText(sink, code, text, environ.REQUEST_METHOD !== 'HEAD');
      } catch (writeError) {
        errors.write(`tsgi: could not send the error response: ${describeError(writeError)}`);
        sink.destroy();
      }
    } else {
      sink.destroy();
    }
    this.phase = Phase.Ended;
    this.complete(Phase.Finished);
  }

  /** Ends the exchange once: close the body, write the access log line. */
  complete(outcome: Phase.Finished | Phase.Gone): void {
    if (this.phase >= Phase.Finished) return;
    this.phase = outcome;
    this.waiter?.wake();
    this.closeBody();
    const log = this.context.log;
    if (log !== undefined) {
      try {
        log(this.environ, outcome === Phase.Gone ? 499 : this.code, this.sent, this.startedAt);
      } catch (error) {
        this.context.errors.write(`tsgi: access log failed: ${describeError(error)}`);
      }
    }
  }

  /** Calls the body's `close()`; runs once, from `complete` or from a late `run`. */
  private closeBody(): void {
    const body = this.body;
    if (body === null || typeof body !== 'object' || typeof body.close !== 'function') return;
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

/** The TypeError for a body chunk that is not a `Uint8Array`, naming what it is. */
export function chunkTypeError(chunk: unknown): TypeError {
  const kind =
    chunk === null
      ? 'null'
      : typeof chunk === 'object'
        ? (chunk.constructor?.name ?? 'object')
        : typeof chunk;
  return new TypeError(`body chunks must be Uint8Array, got ${kind}`);
}
