import { Server } from 'node:http';
import type { Application } from '@tsgi/spec';
import type { RequestListeners } from '../lifecycle/request-events.js';
import { type ServerOptions, serverNumber } from '../options/options.js';
import { createServerContext, type ServerContext } from '../options/server-context.js';
import { upgradeRouting } from '../websocket/handshake-filter.js';
import { OpenSockets } from '../websocket/open-sockets.js';
import { webSocketServer } from '../websocket/ws-server.js';
import { clientErrorListener } from './client-error.js';
import { connectListener } from './connect.js';
import { handlerFor } from './create-handler.js';
import { upgradeListener } from './upgrade-listener.js';

/**
 * A configured, not yet listening `node:http` server running `app`: strict
 * llhttp parsing, size limits, timeouts, `100 Continue` on demand,
 * `'clientError'` answers (400/408/431), a 501 for `CONNECT` and WebSockets
 * (`environ['tsgi.websocket']` on a valid upgrade). Listen on it
 * yourself (cluster workers, a handle from systemd) or let `serve` do it.
 *
 * @example
 * const server = createServer(app, { headersTimeout: 10_000 });
 * server.listen(8000, '127.0.0.1');
 */
export function createServer(app: Application, options: ServerOptions = {}): Server {
  return serverFor(createServerContext(app, options), options, undefined, openSockets(options));
}

/** The open WebSockets of one server, pinged on its `websocketPingInterval`. */
export function openSockets(options: ServerOptions): OpenSockets {
  return new OpenSockets(serverNumber('websocketPingInterval', options.websocketPingInterval));
}

/**
 * The server of `createServer` for an existing context (the HTTP transport
 * keeps the context, hears of each request through `listeners`, and closes
 * the `websockets` when it stops).
 */
export function serverFor(
  context: ServerContext,
  options: ServerOptions,
  listeners: RequestListeners | undefined,
  websockets: OpenSockets,
): Server {
  const headersTimeout = serverNumber('headersTimeout', options.headersTimeout);
  const requestTimeout = serverNumber('requestTimeout', options.requestTimeout);
  const shortest = Math.min(headersTimeout || Infinity, requestTimeout || Infinity);
  const handler = handlerFor(context, listeners);
  const server = new Server(
    {
      insecureHTTPParser: false,
      maxHeaderSize: serverNumber('maxHeaderSize', options.maxHeaderSize),
      headersTimeout,
      requestTimeout,
      keepAliveTimeout: serverNumber('keepAliveTimeout', options.keepAliveTimeout),
      // Node checks the two timeouts above on this interval (30 s by default),
      // which would let a slow client outlive a short headersTimeout by far.
      connectionsCheckingInterval: Number.isFinite(shortest)
        ? Math.max(50, Math.min(1000, Math.floor(shortest / 4)))
        : 1000,
      ...upgradeRouting(),
    },
    handler,
  );
  // No limit in Node: buildEnviron counts the fields and answers 431 itself, the same
  // on every Node (from 22, Node's parser would refuse first with its own error;
  // before, it dropped the extra fields). maxHeaderSize still bounds the head.
  server.maxHeadersCount = 0;
  // No socket-level idle timer: re-arming it on every request costs CPU on the hot
  // path; the runner times out stalled responses itself (idleTimeout).
  server.timeout = 0;
  server.on('checkContinue', handler.checkContinue);
  server.on(
    'clientError',
    clientErrorListener(context.log, context.errors, context.options.maxUrlLength),
  );
  server.on('connect', connectListener(context));
  server.on('upgrade', upgradeListener(context, listeners, webSocketServer(options), websockets));
  return server;
}
