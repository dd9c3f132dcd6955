import type { ServerHttp2Session } from 'node:http2';

/** What closing a session needs to know of it. */
export interface GoawayState {
  readonly session: ServerHttp2Session;
  /** Streams open on it now. */
  streams: number;
  /** True while it waits, with no open stream, to be closed (`closeSession`). */
  closeOnStream: boolean;
}

/**
 * How long a session with no open stream may stay open once it is to close:
 * a stream its client opens meanwhile is served, and closes it.
 */
export const IDLE_CLOSE_DELAY_MS = 1000;

/**
 * Closes a session (a drain, or a server closing): `session.close()`, which
 * sends a GOAWAY naming the last stream taken, refuses any stream opened
 * after it (`REFUSED_STREAM`: the client may send it again), and ends the
 * connection once the streams taken have ended, each answered whole.
 *
 * A session with no open stream is not closed at once: `close()` would
 * destroy it in the same tick, and its GOAWAY could be lost with the
 * connection under streams already on their way, leaving their client
 * unable to tell whether they were processed. It is closed as soon as its
 * client opens a stream (`closeWaiting`), then served as above, or after
 * `IDLE_CLOSE_DELAY_MS` of silence. (Sending the GOAWAY first with
 * `session.goaway()` and closing later would do, but `node:http2` on Node 20
 * corrupts its heap when a session is closed after its own `goaway()`.)
 */
export function closeSession(state: GoawayState): void {
  const { session } = state;
  if (session.closed || session.destroyed || state.closeOnStream) return;
  if (state.streams > 0) {
    session.close();
    return;
  }
  state.closeOnStream = true;
  const timer = setTimeout(() => session.close(), IDLE_CLOSE_DELAY_MS);
  session.once('close', () => clearTimeout(timer));
}

/** A stream was opened on a session: one waiting to close (`closeSession`) closes now, the stream served. */
export function closeWaiting(state: GoawayState): void {
  if (!state.closeOnStream) return;
  state.closeOnStream = false;
  if (!state.session.closed) state.session.close();
}
