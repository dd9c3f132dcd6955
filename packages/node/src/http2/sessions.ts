import type { ServerHttp2Session, ServerHttp2Stream } from 'node:http2';
import type { Socket } from 'node:net';
import { closeSession, closeWaiting, type GoawayState } from './goaway.js';

interface Held extends GoawayState {
  readonly socket: Socket;
  /** Closes it after the keep-alive time without an open stream. */
  idle: NodeJS.Timeout | undefined;
}

/**
 * The open HTTP/2 sessions of one server and how they stop. A session with
 * no open stream is idle: it is closed after `idleMs` of that (the
 * keep-alive timeout) or by `closeIdle`.
 *
 * Closing a session (`closeSession`, in `goaway.ts`), which a drain does to
 * every session at once (`goAway`): a GOAWAY naming the last stream the session
 * took, every such stream then runs to its end, and the connection closes
 * after the last. A stream the client opened after that stream id was never
 * processed, and the client knows it from the GOAWAY (RFC 9113 §6.8): it may
 * retry it on a new connection. There is no two-step GOAWAY: `node:http2`
 * has no shutdown notice, and a GOAWAY with the largest stream id through
 * `session.goaway()` makes nghttp2 ignore the new streams it promises to take.
 */
export class Http2Sessions {
  /** True once a drain or close began: new sessions are closed as `closeSession` says. */
  closing = false;
  private readonly held = new Map<ServerHttp2Session, Held>();
  private readonly idleMs: number;

  /** `idleMs` 0: an idle session stays open until its client closes it. */
  constructor(idleMs: number) {
    this.idleMs = idleMs;
  }

  /** Holds a new session over the connection `socket`. */
  add(session: ServerHttp2Session, socket: Socket): void {
    const held: Held = {
      session,
      socket,
      streams: 0,
      closeOnStream: false,
      idle: undefined,
    };
    this.held.set(session, held);
    session.on('error', ignore);
    session.once('close', () => {
      disarm(held);
      this.held.delete(session);
    });
    if (this.closing) closeSession(held);
    else this.arm(held);
  }

  /**
   * A stream opened on its session: counted until its 'close'. Returns the
   * session's connection, or undefined when the session is not held.
   */
  streamOpened(stream: ServerHttp2Stream): Socket | undefined {
    const held = this.held.get(stream.session as ServerHttp2Session);
    if (held === undefined) return undefined;
    held.streams++;
    disarm(held);
    closeWaiting(held);
    // `stream.session` is gone by 'close': the stream carries its session's entry.
    (stream as CountedStream)[HELD] = held;
    stream.on('close', this.streamClosed);
    return held.socket;
  }

  /** A counted stream's 'close' listener: one function for every stream (`this` is the stream). */
  private readonly streamClosed = (() => {
    const sessions = this;
    return function closed(this: CountedStream): void {
      const held = this[HELD];
      if (held === undefined) return;
      held.streams--;
      if (held.streams === 0 && !held.session.closed) sessions.arm(held);
    };
  })();

  /** Sends GOAWAY on every session; each closes once the streams it took ended. */
  goAway(): void {
    this.closing = true;
    for (const held of this.held.values()) closeSession(held);
  }

  /** Closes every session with no open stream, at once (the quick stop of `close()`). */
  closeIdle(): void {
    for (const held of this.held.values()) if (held.streams === 0) held.session.close();
  }

  /** Destroys every session and its connection. */
  destroyAll(): void {
    for (const [session, held] of this.held) {
      session.destroy();
      held.socket.destroy();
    }
  }

  /** The connections of the open sessions. */
  *sockets(): Iterable<Socket> {
    for (const held of this.held.values()) yield held.socket;
  }

  /** Closes `held`'s session after `idleMs` without an open stream. */
  private arm(held: Held): void {
    disarm(held);
    if (this.idleMs <= 0) return;
    held.idle = setTimeout(() => {
      held.idle = undefined;
      if (held.streams === 0) held.session.close();
    }, this.idleMs);
    held.idle.unref();
  }
}

/** Where a counted stream keeps its session's entry. */
const HELD = Symbol('tsgi.h2-held');

/** A stream `streamOpened` counted. */
type CountedStream = ServerHttp2Stream & { [HELD]?: Held };

function disarm(held: Held): void {
  if (held.idle === undefined) return;
  clearTimeout(held.idle);
  held.idle = undefined;
}

function ignore(): void {}
