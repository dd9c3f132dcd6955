import type { Application, Environ } from '@tsgi/spec';
import type { FastcgiResponse } from '../fastcgi/response.js';
import { createFastcgiServer, fastcgiConnections } from '../fastcgi/server.js';
import type { ServerOptions } from '../options.js';
import type { ListenerRequest, Transport } from './protocol.js';

/** FastCGI through `createFastcgiServer`: kept-alive connections, one request at a time each. */
export function fastcgiTransport(app: Application, options: ServerOptions): Transport {
  const server = createFastcgiServer(app, options);
  return {
    server,
    onRequest(listener) {
      server.prependListener('request', (environ: Environ, response: FastcgiResponse) =>
        listener(fastcgiRequest(environ, response)),
      );
    },
    ...fastcgiConnections(server),
  };
}

function fastcgiRequest(environ: Environ, response: FastcgiResponse): ListenerRequest {
  return {
    method: environ.REQUEST_METHOD,
    target: environ.REQUEST_URI,
    abort: (status, text) => response.abort(status, text),
    onClose: (listener) => void response.on('close', listener),
  };
}
