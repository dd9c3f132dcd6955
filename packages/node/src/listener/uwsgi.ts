import type { Application, Environ } from '@tsgi/spec';
import type { ServerOptions } from '../options.js';
import type { UwsgiResponse } from '../uwsgi/response.js';
import { createUwsgiServer, uwsgiConnections } from '../uwsgi/server.js';
import type { ListenerRequest, Transport } from './protocol.js';

/** The uwsgi protocol through `createUwsgiServer`: one request per connection. */
export function uwsgiTransport(app: Application, options: ServerOptions): Transport {
  const server = createUwsgiServer(app, options);
  return {
    server,
    onRequest(listener) {
      server.prependListener('request', (environ: Environ, response: UwsgiResponse) =>
        listener(uwsgiRequest(environ, response)),
      );
    },
    ...uwsgiConnections(server),
  };
}

function uwsgiRequest(environ: Environ, response: UwsgiResponse): ListenerRequest {
  return {
    method: environ.REQUEST_METHOD,
    target: environ.REQUEST_URI,
    abort: (status, text) => response.abort(status, text),
    onClose: (listener) => void response.on('close', listener),
  };
}
