import { Server } from 'node:net';
import type { Application } from '@tsgi/spec';
import { gatewayStops } from '../lifecycle/gateway-connections.js';
import { RequestListeners } from '../lifecycle/request-events.js';
import type { Transport } from '../lifecycle/transport.js';
import { defaults } from '../options/defaults.js';
import type { ServerOptions } from '../options/options.js';
import { createServerContext } from '../options/server-context.js';
import { acceptConnections } from '../wire/accept.js';
import { FastcgiConnection, type FastcgiServerState } from './connection.js';

/**
 * FastCGI 1.0 as a transport: a configured, not yet listening `net.Server`
 * that serves as a Responder for Nginx's `fastcgi_pass` (with
 * `fastcgi_keep_conn on` and an upstream `keepalive` pool, connections carry
 * request after request). Nginx passes the CGI variables of its
 * `fastcgi_params`, as with `uwsgi_pass`; the app runs through the same
 * runner as over HTTP, so limits, streaming, backpressure, errors and
 * `close()` behave the same.
 *
 * Timeouts: `headersTimeout` for the params after `FCGI_BEGIN_REQUEST`,
 * `keepAliveTimeout` for a connection between requests (keep Nginx's
 * upstream `keepalive_timeout` below it, so Nginx, not tsgi, ends idle
 * connections), `idleTimeout` for a request that sees no traffic.
 *
 * Once marked closing, every response ends its connection, and says so to
 * Nginx (`response.ts`: nothing may follow `FCGI_END_REQUEST` on a connection
 * Nginx keeps); an idle connection is left to Nginx's keep-alive timeout, or
 * ours, since a request may be on its way on it. `closeIdle` (the quick
 * `close`) ends idle ones at once.
 */
export function fastcgiTransport(app: Application, options: ServerOptions): Transport {
  const context = createServerContext(app, options);
  const server = new Server({ allowHalfOpen: true });
  const listeners = new RequestListeners();
  const state: FastcgiServerState = {
    server,
    context,
    listeners,
    paramsTimeout: options.headersTimeout ?? defaults.headersTimeout,
    keepAliveTimeout: options.keepAliveTimeout ?? defaults.keepAliveTimeout,
    idleTimeout: options.idleTimeout ?? defaults.idleTimeout,
  };
  const connections = new Set<FastcgiConnection>();
  acceptConnections(server, options.sockets, (socket) => {
    const connection = new FastcgiConnection(socket, state);
    connections.add(connection);
    socket.once('close', () => connections.delete(connection));
  });
  return {
    protocol: 'fastcgi',
    server,
    onRequest: (listener) => listeners.add(listener),
    ...gatewayStops(server, context, connections),
  };
}
