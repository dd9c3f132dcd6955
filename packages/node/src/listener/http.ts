import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Application } from '@tsgi/spec';
import { contextOf, createServer } from '../http/create-server.js';
import type { ServerOptions } from '../options.js';
import { sendText } from '../response/error-response.js';
import type { ListenerRequest, Transport } from './protocol.js';

/** HTTP/1.1 through `createServer`: a keep-alive connection between requests is idle. */
export function httpTransport(app: Application, options: ServerOptions): Transport {
  const server = createServer(app, options);
  const context = contextOf(server)!;
  return {
    server,
    onRequest(listener) {
      // First in line, so the request is seen before the app runs.
      server.prependListener('request', (req: IncomingMessage, res: ServerResponse) =>
        listener(httpRequest(req, res)),
      );
    },
    markClosing: () => {
      context.closing = true;
    },
    closeIdle: () => server.closeIdleConnections(),
    destroyAll: () => server.closeAllConnections(),
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
