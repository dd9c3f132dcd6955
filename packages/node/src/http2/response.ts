import { constants, type OutgoingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import { HOP_BY_HOP } from '@tsgi/spec';
import { sendText } from '../response/error-response.js';
import type { ResponseSink } from '../response/sink.js';
import { limitStalledTail } from './stream-limits.js';

/**
 * The app's flat header list as `stream.respond()` takes it. The
 * connection-specific fields of HTTP/1.1 (`HOP_BY_HOP`, which SPEC.md [sr.6]
 * forbids an app to send) must not appear in an HTTP/2 message (RFC 9113
 * §8.2.2): they are dropped, never sent, so one can never break the stream.
 */
export function h2Headers(code: number, headers: readonly string[]): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = { ':status': code };
  for (let i = 0; i + 1 < headers.length; i += 2) {
    const name = lowerName(headers[i]!);
    if (HOP_BY_HOP.has(name)) continue;
    const value = headers[i + 1]!;
    const had = out[name];
    if (had === undefined) out[name] = value;
    else if (Array.isArray(had)) had.push(value);
    else out[name] = [String(had), value];
  }
  return out;
}

/** Names as the app spelled them, lower-cased: most responses repeat a few, so each is lowered once. */
const lowered = new Map<string, string>();
/** At most this many names are remembered; others are lowered each time. */
const LOWERED_MAX = 256;

/** `name` lower-cased, from `lowered` when it was seen before. */
function lowerName(name: string): string {
  let lower = lowered.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    if (lowered.size < LOWERED_MAX) lowered.set(name, lower);
  }
  return lower;
}

/**
 * Ends a stream whose response is out and whose request is not: RST_STREAM
 * NO_ERROR, and the body bytes it still holds dropped. `destroy()`, not
 * `close()`: a stream closed without error waits for its readable side to
 * be read to the end, and its session could not close after it.
 */
function stopRequest(stream: ServerHttp2Stream): void {
  if (!stream.destroyed && !stream.readableEnded) stream.destroy();
}

/**
 * The `ResponseSink` of one HTTP/2 stream: `stream.respond()` with
 * `:status` and the headers at the first write, the body as DATA frames
 * (HTTP/2 frames it: no chunked encoding, no `Connection`), `write()`'s
 * return and `'drain'` for backpressure. `destroy()` resets this stream
 * only (RST_STREAM `INTERNAL_ERROR`); the session and its other streams go on.
 */
export class Http2Response implements ResponseSink {
  /** True once `stream.respond()` ran. */
  headersSent = false;
  /** Ignored: an HTTP/2 stream is never reused, and a drain closes the session with GOAWAY. */
  shouldKeepAlive = true;
  private head: OutgoingHttpHeaders | undefined;
  private readonly stream: ServerHttp2Stream;
  private readonly idleTimeout: number;

  /** `idleTimeout`: how long an ended response's queued tail may wait on a client that reads nothing (`limitStalledTail`). */
  constructor(stream: ServerHttp2Stream, idleTimeout: number) {
    this.stream = stream;
    this.idleTimeout = idleTimeout;
  }

  get writableFinished(): boolean {
    return this.stream.writableFinished;
  }

  get destroyed(): boolean {
    return this.stream.destroyed;
  }

  writeHead(statusCode: number, _statusMessage: string, headers: string[]): void {
    if (this.headersSent) throw new Error('HTTP/2 response: headers were already sent');
    this.head = h2Headers(statusCode, headers);
  }

  write(chunk: Uint8Array): boolean {
    if (!this.respond(false)) return true;
    return this.stream.write(chunk);
  }

  end(chunk?: Uint8Array): void {
    const empty = chunk === undefined || chunk.byteLength === 0;
    if (!this.respond(empty)) return;
    const stream = this.stream;
    if (empty) {
      if (!stream.writableEnded) stream.end();
    } else {
      stream.end(chunk);
    }
    // The response is whole but the request body is still coming (unread,
    // or read past the limit): ask the client to stop sending it, without
    // error, so the stream closes (RFC 9113 §8.1). Node does the same itself
    // only for a body that was never read.
    if (!stream.endAfterHeaders && !stream.readableEnded) {
      stream.once('finish', () => setImmediate(stopRequest, stream));
    }
    limitStalledTail(stream, this, this.idleTimeout);
  }

  destroy(): void {
    if (!this.stream.destroyed) this.stream.close(constants.NGHTTP2_INTERNAL_ERROR);
  }

  on(event: 'drain' | 'close', listener: () => void): this {
    if (event === 'close' && this.stream.closed) {
      // Closed before anyone listened: tell the late listener all the same.
      process.nextTick(listener);
      return this;
    }
    this.stream.on(event, listener);
    return this;
  }

  /**
   * Answers with a short text response when nothing was sent yet (the
   * harakiri 504); otherwise resets the stream.
   */
  abort(status: number, text: string): void {
    if (this.headersSent || this.stream.destroyed || this.stream.writableEnded) {
      this.destroy();
      return;
    }
    sendText(this, status, `${text}\n`);
  }

  /** Sends the head if it is pending; false when the stream is gone and nothing can be sent. */
  private respond(endStream: boolean): boolean {
    if (this.stream.destroyed) return false;
    const head = this.head;
    if (head === undefined) {
      if (!this.headersSent) throw new Error('HTTP/2 response: body written before writeHead');
      return true;
    }
    this.head = undefined;
    this.headersSent = true;
    this.stream.respond(head, { endStream });
    return true;
  }
}
