import type { Socket } from 'node:net';
import type { Application } from '@tsgi/spec';
import { markClosing } from '../lifecycle/closing.js';
import { lingeringClose } from '../lifecycle/linger.js';
import { RequestListeners } from '../lifecycle/request-events.js';
import type { Transport } from '../lifecycle/transport.js';
import type { ServerOptions } from '../options/options.js';
import { createServerContext } from '../options/server-context.js';
import { openSockets, serverFor } from './create-server.js';

/**
 * HTTP/1.1 as a transport: the server of `createServer`, the connections it
 * holds, and how they stop. A keep-alive connection between requests is idle;
 * an open WebSocket is not, and is closed with 1001 only when the drain's
 * time runs out.
 */
export function httpTransport(app: Application, options: ServerOptions): Transport {
  const context = createServerContext(app, options);
  const listeners = new RequestListeners();
  const websockets = openSockets(options);
  const server = serverFor(context, options, listeners, websockets);
  // node:http keeps no public list of its connections; a drain needs the open ones.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    socket.destroySoon = lingeringClose;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return {
    protocol: 'http',
    server,
    // The handler reports each request just before the app runs it (a pipelined
    // one waiting behind earlier responses only once it starts).
    onRequest: (listener) => listeners.add(listener),
    markClosing: (reason) => markClosing(context, reason),
    closeIdle: () => server.closeIdleConnections(),
    destroyAll() {
      server.closeAllConnections();
      websockets.goAway();
    },
    stopAccepting(done) {
      // node:http's close() also closes the idle keep-alive connections, where
      // a request may be on its way: stop accepting without that.
      server.closeIdleConnections = () => {};
      try {
        server.close(done);
      } finally {
        Reflect.deleteProperty(server, 'closeIdleConnections');
      }
    },
    sockets: () => sockets,
    websockets,
  };
}
