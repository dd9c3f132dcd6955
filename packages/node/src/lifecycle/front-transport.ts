import type { Server as HttpServer } from 'node:http';
import type { Server, Socket } from 'node:net';
import type { Http2Handoff } from '../contracts/http2-handoff.js';
import type { WireSocket } from '../wire/wire-socket.js';
import type { Transport } from './transport.js';

/**
 * The HTTP transport with a server in front of it: `front` (a `tls.Server`
 * for HTTPS, a `net.Server` for cleartext HTTP/2) listens and accepts every
 * connection, and the caller's dispatch hands each one on, to the HTTP/1.1
 * `http.Server` of `http` (`emit('connection')`, so that path runs as in
 * plain HTTP) or to the HTTP/2 side `h2`. Both sides' requests, drains and
 * connections are this transport's. Stopping to accept is `front`'s;
 * `destroyAll` also ends connections still in a handshake or a sniff.
 */
export function frontTransport(
  http: Transport,
  front: Server,
  h2: Http2Handoff | undefined,
): Transport {
  const httpServer = http.server as HttpServer;
  // Every TCP connection, handed on or not yet: destroyAll ends them all.
  const connections = new Set<Socket>();
  front.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  // node:http tracks its connections (timeouts, closeIdleConnections) from 'listening' on.
  front.on('listening', () => httpServer.emit('listening'));
  front.on('close', () => httpServer.close());
  const both: Transport = {
    ...http,
    server: front,
    httpServer,
    destroyAll() {
      http.destroyAll();
      for (const socket of connections) socket.destroy();
    },
    stopAccepting(done) {
      // net.Server's close leaves the open connections alone and calls back after the last.
      front.close(done);
    },
  };
  if (h2 === undefined) return both;
  return {
    ...both,
    onRequest(listener) {
      http.onRequest(listener);
      h2.onRequest(listener);
    },
    markClosing(reason) {
      http.markClosing(reason);
      h2.markClosing(reason);
    },
    closeIdle() {
      http.closeIdle();
      h2.sessions.closeIdle();
    },
    destroyAll() {
      h2.sessions.destroyAll();
      both.destroyAll();
    },
    *sockets(): Iterable<WireSocket> {
      yield* http.sockets();
      yield* h2.sessions.sockets() as Iterable<WireSocket>;
    },
  };
}
