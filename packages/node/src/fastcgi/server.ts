import { Server } from 'node:net';
import type { Application } from '@tsgi/spec';
import { defaults } from '../defaults.js';
import { type DrainableConnections, markClosing } from '../listener/drain.js';
import { shutdown } from '../listener/shutdown.js';
import type { ServerOptions } from '../options.js';
import { createServerContext } from '../server-context.js';
import { acceptConnections } from '../wire/accept.js';
import { FastcgiConnection } from './connection.js';
import type { FastcgiServerState } from './connection-lifecycle.js';

const servers = new WeakMap<
  Server,
  { state: FastcgiServerState; connections: Set<FastcgiConnection> }
>();

/**
 * A configured, not yet listening `net.Server` that speaks FastCGI 1.0 as a
 * Responder, for Nginx's `fastcgi_pass` (with `fastcgi_keep_conn on` and an
 * upstream `keepalive` pool, connections carry request after request). Nginx
 * passes the CGI variables of its `fastcgi_params`, as with `uwsgi_pass`; the
 * app runs through the same runner as over HTTP, so limits, streaming,
 * backpressure, errors and `close()` behave the same. It emits `'request'`
 * with `(environ, response)` for each request the app runs; most callers
 * want `createListener(app, 'fastcgi')`.
 *
 * Timeouts: `headersTimeout` for the params after `FCGI_BEGIN_REQUEST`,
 * `keepAliveTimeout` for a connection between requests (keep Nginx's
 * upstream `keepalive_timeout` below it, so Nginx, not tsgi, ends idle
 * connections), `idleTimeout` for a request that sees no traffic.
 *
 * @example
 * const server = createFastcgiServer(app, { keepAliveTimeout: 75_000 });
 * server.listen('/run/tsgi/app.sock');
 */
export function createFastcgiServer(app: Application, options: ServerOptions = {}): Server {
  const context = createServerContext(app, options);
  const server = new Server({ allowHalfOpen: true });
  const state: FastcgiServerState = {
    server,
    context,
    paramsTimeout: options.headersTimeout ?? defaults.headersTimeout,
    keepAliveTimeout: options.keepAliveTimeout ?? defaults.keepAliveTimeout,
    idleTimeout: options.idleTimeout ?? defaults.idleTimeout,
  };
  const connections = new Set<FastcgiConnection>();
  servers.set(server, { state, connections });
  acceptConnections(server, options.sockets, (socket) => {
    const connection = new FastcgiConnection(socket, state);
    connections.add(connection);
    socket.once('close', () => connections.delete(connection));
  });
  return server;
}

/**
 * The connections of a server made by `createFastcgiServer`, for the shared
 * shutdown and drain. Once marked closing, every response ends its
 * connection, and says so to Nginx (`response.ts`: nothing may follow
 * `FCGI_END_REQUEST` on a connection Nginx keeps); an idle connection is left
 * to Nginx's keep-alive timeout, or ours, since a request may be on its way
 * on it. `closeIdle` (the quick `close`) ends idle ones at once.
 */
export function fastcgiConnections(server: Server): DrainableConnections {
  const entry = servers.get(server);
  return {
    markClosing: (drain) => {
      if (entry !== undefined) markClosing(entry.state.context, drain);
    },
    closeIdle: () => {
      for (const connection of entry?.connections ?? []) connection.closeIfIdle();
    },
    destroyAll: () => {
      for (const connection of entry?.connections ?? []) connection.socket.destroy();
    },
    stopAccepting: (done) => void server.close(done),
    *sockets() {
      for (const connection of entry?.connections ?? []) yield connection.socket;
    },
  };
}

/**
 * Stops a FastCGI server the way every listener stops (`Listener.close`): no
 * new connections, idle ones ended, each request already running served, and
 * whatever is left after `timeout` ms destroyed.
 */
export function closeFastcgiServer(
  server: Server,
  timeout: number = defaults.closeTimeout,
): Promise<void> {
  return shutdown(server, fastcgiConnections(server), timeout);
}
