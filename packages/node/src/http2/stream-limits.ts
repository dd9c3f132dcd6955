import type { ServerHttp2Stream } from 'node:http2';

/** What the limits do to a stream's response: answer it, or reset it. */
export interface LimitedResponse {
  /** A short text answer when nothing was sent yet, else a reset. */
  abort(status: number, text: string): void;
  /** Resets the stream. */
  destroy(): void;
}

/**
 * A response that leaves more than this many bytes queued on its stream when
 * it ends is watched for a stalled reader: more than a stream's first
 * flow-control window (65,535 bytes, RFC 9113 §6.9.2), which a client must
 * read for the rest to go out.
 */
export const WATCHED_TAIL = 65_535;

/**
 * The per-stream form of HTTP/1.1's `requestTimeout`: the request (its
 * header block and every DATA frame up to END_STREAM) must arrive within
 * `ms` of the stream's start. When it does not, the stream is answered 408
 * if nothing was sent yet, else reset, and its unread body dropped; the
 * session and its other streams go on. 0 is no limit; a request that ended
 * with its headers is never watched.
 */
export function limitRequest(
  stream: ServerHttp2Stream,
  response: LimitedResponse,
  ms: number,
): void {
  if (ms <= 0 || stream.endAfterHeaders) return;
  const timer = setTimeout(() => {
    if (stream.closed || stream.readableEnded) return;
    response.abort(408, `Request Timeout: the request did not arrive whole within ${ms} ms`);
  }, ms);
  const clear = (): void => clearTimeout(timer);
  stream.once('end', clear);
  stream.once('close', clear);
}

/**
 * The ended response's side of `idleTimeout`: a stream whose response has
 * ended with more than `WATCHED_TAIL` bytes still queued is reset
 * (`INTERNAL_ERROR`) once `ms` pass with none of them taken by the client,
 * as a stalled write is (`Backpressure`). A reader that keeps taking bytes,
 * however slowly, is never cut. 0 is no limit.
 */
export function limitStalledTail(
  stream: ServerHttp2Stream,
  response: LimitedResponse,
  ms: number,
): void {
  if (ms <= 0 || stream.writableLength <= WATCHED_TAIL) return;
  let queued = stream.writableLength;
  const check = (): void => {
    if (stream.closed || stream.writableFinished) return;
    const now = stream.writableLength;
    if (now >= queued) {
      response.destroy();
      return;
    }
    queued = now;
    timer.refresh();
  };
  const timer = setTimeout(check, ms);
  stream.once('close', () => clearTimeout(timer));
}
