import type { Socket } from 'node:net';
import type { ListenerRequest } from './request-events.js';

/**
 * The HTTP/2 side of an HTTP listener (`src/http2/`) as the server in front
 * of it sees it: the TLS transport hands it each connection whose ALPN chose
 * `h2`, the cleartext one each connection that opened with the HTTP/2
 * preface (`h2c`).
 */
export interface Http2Handoff {
  /** Takes one connection (a TLS socket, or a TCP one for h2c) that speaks HTTP/2. */
  accept(socket: Socket): void;
  onRequest(listener: (request: ListenerRequest) => void): void;
  /** Marks it closing; a drain `reason` goes on its access log lines. Sends GOAWAY on every session. */
  markClosing(reason?: string): void;
  readonly sessions: {
    closeIdle(): void;
    destroyAll(): void;
    sockets(): Iterable<Socket>;
  };
}
