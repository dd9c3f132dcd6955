import type { Server } from 'node:net';
import type { Environ } from '@tsgi/spec';
import type { DrainableConnections } from './drain.js';
import type { ListenerRequest, Transport } from './protocol.js';

/** What a gateway listener's `'request'` event hands over besides the environ. */
export interface GatewayResponse {
  abort(status: number, text: string): void;
  on(event: 'close', listener: () => void): unknown;
}

/**
 * The transport of a gateway protocol (uwsgi, FastCGI): a `net.Server` that
 * emits `'request'` with `(environ, response)` for each request the app runs,
 * and the connections its drain and shutdown handle.
 *
 * @example
 * const server = createUwsgiServer(app, options);
 * const transport = gatewayTransport(server, uwsgiConnections(server));
 */
export function gatewayTransport(server: Server, connections: DrainableConnections): Transport {
  return {
    server,
    onRequest(listener) {
      server.prependListener('request', (environ: Environ, response: GatewayResponse) =>
        listener(gatewayRequest(environ, response)),
      );
    },
    ...connections,
  };
}

function gatewayRequest(environ: Environ, response: GatewayResponse): ListenerRequest {
  return {
    method: environ.REQUEST_METHOD,
    target: environ.REQUEST_URI,
    abort: (status, text) => response.abort(status, text),
    onClose: (listener) => void response.on('close', listener),
  };
}
