import type { Application } from '@tsgi/spec';
import type { ServerOptions } from '../options.js';
import { createUwsgiServer, uwsgiConnections } from '../uwsgi/server.js';
import { gatewayTransport } from './gateway.js';
import type { Transport } from './protocol.js';

/** The uwsgi protocol through `createUwsgiServer`: one request per connection. */
export function uwsgiTransport(app: Application, options: ServerOptions): Transport {
  const server = createUwsgiServer(app, options);
  return gatewayTransport(server, uwsgiConnections(server));
}
