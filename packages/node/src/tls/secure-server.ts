import type { Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';
import { type TLSSocket, Server as TlsServer } from 'node:tls';
import type { ListenerRequest } from '../contracts/request-events.js';
import type { Transport } from '../lifecycle/transport.js';
import type { WireSocket } from '../wire/wire-socket.js';
import { rememberClient } from './client-certificate.js';
import type { ResolvedTls } from './options.js';
import { loadTls } from './secure-context.js';

/** The HTTP/2 side (`src/http2/`) an HTTPS transport hands the connections whose ALPN chose `h2`. */
export interface Http2Handoff {
  /** Takes one TLS socket whose `alpnProtocol` is `h2`. */
  accept(socket: TLSSocket): void;
  onRequest(listener: (request: ListenerRequest) => void): void;
  /** Marks it closing; a drain `reason` goes on its access log lines. Sends GOAWAY on every session. */
  markClosing(reason?: string): void;
  readonly sessions: {
    closeIdle(): void;
    destroyAll(): void;
    sockets(): Iterable<TLSSocket>;
  };
}

/**
 * The HTTP transport behind TLS: a `tls.Server` listens, terminates TLS and
 * hands each TLS socket on by the protocol ALPN chose: `h2` to the HTTP/2
 * side `h2` (`src/http2/`), anything else (`http/1.1`, or no ALPN) to the
 * HTTP/1.1 `http.Server` of `http` (`emit('connection')`), so that path (its
 * limits, pipelining, WebSockets, drains) runs as in cleartext. ALPN offers
 * `tls.httpProtocols`; a client without ALPN is closed when `http/1.1` is
 * not among them. The files are read and checked now (a `TlsFileError` names
 * a bad one). `handshakeTimeout` bounds a handshake.
 */
export function secureTransport(
  http: Transport,
  tls: ResolvedTls,
  handshakeTimeout: number,
  h2?: Http2Handoff,
): Transport {
  const offers = tls.httpProtocols.filter((p) => p !== 'h2' || h2 !== undefined);
  const h1 = offers.includes('http/1.1');
  const httpServer = http.server as HttpServer;
  const { cert, key, ca } = loadTls(tls);
  const asks = tls.certReqs !== 'none';
  const server = new TlsServer({
    cert,
    key,
    ca,
    ALPNProtocols: [...offers],
    requestCert: asks,
    rejectUnauthorized: tls.certReqs === 'required',
    handshakeTimeout: handshakeTimeout > 0 ? handshakeTimeout : undefined,
  });
  // Every TCP connection, its handshake done or not: destroyAll ends them all.
  const connections = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    if (asks) rememberClient(socket);
    // The one dispatch on the protocol ALPN chose.
    if (socket.alpnProtocol === 'h2' && h2 !== undefined) h2.accept(socket);
    else if (h1) httpServer.emit('connection', socket);
    else socket.destroy();
  });
  // A failed handshake (no or a bad client certificate under 'required', a
  // plain-HTTP client) ends only that connection.
  server.on('tlsClientError', () => {});
  // node:http tracks its connections (timeouts, closeIdleConnections) from 'listening' on.
  server.on('listening', () => httpServer.emit('listening'));
  server.on('close', () => httpServer.close());
  if (h2 === undefined) return secure(http, server, httpServer, connections);
  return {
    ...secure(http, server, httpServer, connections),
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
      http.destroyAll();
      for (const socket of connections) socket.destroy();
    },
    *sockets(): Iterable<WireSocket> {
      yield* http.sockets();
      yield* h2.sessions.sockets() as Iterable<WireSocket>;
    },
  };
}

/** `http`'s transport behind the `tls.Server` `server`: it stops accepting, and destroys every TLS connection. */
function secure(
  http: Transport,
  server: TlsServer,
  httpServer: HttpServer,
  connections: Set<Socket>,
): Transport {
  return {
    ...http,
    server,
    httpServer,
    destroyAll() {
      http.destroyAll();
      for (const socket of connections) socket.destroy();
    },
    stopAccepting(done) {
      // net.Server's close leaves the open connections alone and calls back after the last.
      server.close(done);
    },
  };
}
