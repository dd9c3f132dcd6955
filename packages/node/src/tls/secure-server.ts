import type { Server as HttpServer } from 'node:http';
import { type TLSSocket, Server as TlsServer } from 'node:tls';
import type { Http2Handoff } from '../contracts/http2-handoff.js';
import { frontTransport } from '../lifecycle/front-transport.js';
import type { Transport } from '../lifecycle/transport.js';
import { rememberClient } from './client-certificate.js';
import type { ResolvedTls } from './options.js';
import { loadTls } from './secure-context.js';

/**
 * The HTTP transport behind TLS: a `tls.Server` listens, terminates TLS and
 * hands each TLS socket on by the protocol ALPN chose: `h2` to the HTTP/2
 * side `h2` (`src/http2/`), anything else (`http/1.1`, or no ALPN) to the
 * HTTP/1.1 `http.Server` of `http`, so that path (its limits, pipelining,
 * WebSockets, drains) runs as in cleartext (`frontTransport`). ALPN offers
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
  const offers = tls.httpProtocols.filter(
    (p) => p === 'http/1.1' || (p === 'h2' && h2 !== undefined),
  );
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
  return frontTransport(http, server, h2);
}
