import { constants, type ServerHttp2Session } from 'node:http2';

/** What closing a session needs to know of it. */
export interface GoawayState {
  readonly session: ServerHttp2Session;
  /** Streams open on it now. */
  streams: number;
  /** The highest stream id it took (0 before the first). */
  lastStreamId: number;
  /** The last stream id its GOAWAY named, once one was sent. */
  goawayId: number | undefined;
}

/**
 * How long a session with no open stream stays after its GOAWAY before it
 * is closed, so that the client reads the GOAWAY before the connection ends.
 * A client that closes the connection itself first (most do once they read
 * a GOAWAY with nothing open) ends it sooner.
 */
export const GOAWAY_LINGER_MS = 1000;

/**
 * Closes a session so that its client learns it first. A GOAWAY naming the
 * last stream taken goes out now, on its own. A session with open streams is
 * then closed at once (`close()` waits for its streams to end, each answered
 * whole); one with none `GOAWAY_LINGER_MS` later, or when its client closes
 * it. (`close()` alone destroys such a session in the same tick, and its
 * GOAWAY could be lost with the connection under streams already on their
 * way. A PING cannot prove the GOAWAY was read: with no open stream after a
 * GOAWAY, nghttp2 reads nothing more, the acknowledgement included.)
 *
 * nghttp2 takes new streams until the GOAWAY frame is actually written, a
 * moment after it was submitted; `refusedByGoaway` refuses those, so no
 * stream the GOAWAY calls unprocessed is ever run.
 */
export function sendGoaway(state: GoawayState): void {
  const { session } = state;
  if (session.closed || session.destroyed) return;
  if (state.goawayId === undefined) {
    state.goawayId = state.lastStreamId;
    session.goaway(constants.NGHTTP2_NO_ERROR, state.lastStreamId);
  }
  if (state.streams > 0) {
    session.close();
    return;
  }
  const timer = setTimeout(() => session.close(), GOAWAY_LINGER_MS);
  timer.unref();
  session.once('close', () => clearTimeout(timer));
}

/**
 * Whether a stream the session is about to take must be refused because its
 * GOAWAY already named a lower last stream id (RFC 9113 §6.8: the client
 * treats it as never processed, and may send it again). Otherwise records it
 * as the session's last stream.
 */
export function refusedByGoaway(state: GoawayState, streamId: number): boolean {
  if (state.goawayId !== undefined && streamId > state.goawayId) return true;
  if (streamId > state.lastStreamId) state.lastStreamId = streamId;
  return false;
}
