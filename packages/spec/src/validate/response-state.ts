import type { TsgiValidationError } from '../errors.js';
import { show, violation } from './violation.js';

/**
 * What `validate()` knows about one response while it is being produced: the
 * status and `Content-Length` of the last `startResponse` call, the bytes
 * seen so far, whether the headers went out, the body ended or closed, and
 * whether the application accepted a WebSocket instead.
 */
export class ResponseState {
  /** The request method, for the `HEAD` rules. */
  readonly method: string;
  /** Where violations found outside any call go. */
  readonly report: (error: TsgiValidationError) => void;
  /** `startResponse` was called (successfully) at least once. */
  started = false;
  /** The status code of the last `startResponse` call. */
  status = 0;
  /** The `Content-Length` of the last `startResponse` call, if any. */
  contentLength: number | undefined = undefined;
  /** A non-empty chunk was yielded or written, so the server has sent the headers. */
  headersSent = false;
  /** Body bytes yielded or written so far. */
  bytes = 0;
  /** The body's iteration finished. */
  ended = false;
  /** The body's `close()` was called. */
  closed = false;
  /** The application called `tsgi.websocket`'s `accept()` (ws.7). */
  accepted = false;
  /** The application returned its body (or its promise resolved): too late to accept (ws.4). */
  returned = false;

  constructor(method: string, report: (error: TsgiValidationError) => void) {
    this.method = method;
    this.report = report;
  }

  /** Whether this response carries no body bytes (body.3). */
  get bodiless(): boolean {
    return this.method === 'HEAD' || this.status === 204 || this.status === 304;
  }

  /** Accounts for one chunk the body yielded or the application wrote. */
  chunk(bytes: Uint8Array, via: 'body' | 'write'): void {
    if (this.accepted) {
      if (bytes.byteLength === 0) return;
      throw violation('ws.7', `the body of an accepted WebSocket yielded ${show(bytes)}`);
    }
    if (!this.started) {
      throw violation(
        'sr.11',
        via === 'body'
          ? 'the body yielded a chunk before startResponse was called'
          : 'write was called before startResponse',
      );
    }
    if (bytes.byteLength === 0) return;
    this.headersSent = true;
    if (this.bodiless) {
      const what = this.method === 'HEAD' ? 'a HEAD request' : `a ${this.status} response`;
      throw violation('body.3', `${show(bytes)} of body bytes for ${what}`);
    }
    this.bytes += bytes.byteLength;
    if (this.contentLength !== undefined && this.bytes > this.contentLength) {
      throw violation(
        'body.4',
        `${this.bytes} body bytes so far, more than Content-Length ${this.contentLength}`,
      );
    }
  }

  /** The body's iteration finished normally. */
  end(): void {
    if (this.accepted) {
      this.ended = true;
      return;
    }
    if (!this.started) {
      throw violation('sr.11', 'the body ended before startResponse was called');
    }
    this.ended = true;
    if (!this.bodiless && this.contentLength !== undefined && this.bytes !== this.contentLength) {
      throw violation(
        'body.4',
        `the body ended after ${this.bytes} bytes, but Content-Length is ${this.contentLength}`,
      );
    }
  }
}
