import type { Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';
import { type TLSSocket, Server as TlsServer } from 'node:tls';
import type { Transport } from '../lifecycle/transport.js';
import { rememberClient } from './client-certificate.js';
import type { ResolvedTls } from './options.js';
import { loadTls } from './secure-context.js';

/** What ALPN offers, most preferred first. A client without ALPN gets HTTP/1.1 too. */
export const ALPN_PROTOCOLS: readonly string[] = ['http/1.1'];

/**
 * The HTTP transport behind TLS: a `tls.Server` listens, terminates TLS and
 * hands each TLS socket to the HTTP/1.1 `http.Server` of `http`
 * (`emit('connection')`), so that path (its limits, pipelining, WebSockets,
 * drains) runs as in cleartext. The files are read and checked now (a
 * `TlsFileError` names a bad one). `handshakeTimeout` bounds a handshake.
 */
export function secureTransport(
  http: Transport,
  tls: ResolvedTls,
  handshakeTimeout: number,
): Transport {
  const httpServer = http.server as HttpServer;
  const { cert, key, ca } = loadTls(tls);
  const asks = tls.certReqs !== 'none';
  const server = new TlsServer({
    cert,
    key,
    ca,
    ALPNProtocols: [...ALPN_PROTOCOLS],
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
    // The one dispatch on the protocol ALPN chose: HTTP/2 becomes a branch for 'h2' here.
    httpServer.emit('connection', socket);
  });
  // A failed handshake (no or a bad client certificate under 'required', a
  // plain-HTTP client) ends only that connection.
  server.on('tlsClientError', () => {});
  // node:http tracks its connections (timeouts, closeIdleConnections) from 'listening' on.
  server.on('listening', () => httpServer.emit('listening'));
  server.on('close', () => httpServer.close());
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
