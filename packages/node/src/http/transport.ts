import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Application } from '@tsgi/spec';
import type { ListenerRequest } from '../contracts/request-events.js';
import { markClosing } from '../lifecycle/closing.js';
import { lingeringClose } from '../lifecycle/linger.js';
import type { Transport } from '../lifecycle/transport.js';
import type { ServerOptions } from '../options/options.js';
import { createServerContext } from '../options/server-context.js';
import { sendText } from '../response/error-response.js';
import { serverFor } from './create-server.js';

/**
 * HTTP/1.1 as a transport: the server of `createServer`, the connections it
 * holds, and how they stop. A keep-alive connection between requests is idle.
 */
export function httpTransport(app: Application, options: ServerOptions): Transport {
  const context = createServerContext(app, options);
  const server = serverFor(context, options);
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
    onRequest(listener) {
      // First in line, so the request is seen before the app runs.
      server.prependListener('request', (req: IncomingMessage, res: ServerResponse) =>
        listener(httpRequest(req, res)),
      );
    },
    markClosing: (reason) => markClosing(context, reason),
    closeIdle: () => server.closeIdleConnections(),
    destroyAll: () => server.closeAllConnections(),
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
  };
}

function httpRequest(req: IncomingMessage, res: ServerResponse): ListenerRequest {
  return {
    method: req.method ?? '',
    target: req.url ?? '',
    abort(status, text) {
      if (res.headersSent || res.writableEnded) {
        res.destroy();
        return;
      }
      res.shouldKeepAlive = false;
      sendText(res, status, `${text}\n`);
    },
    onClose: (listener) => void res.on('close', listener),
  };
}
