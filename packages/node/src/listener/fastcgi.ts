import type { Application } from '@tsgi/spec';
import { createFastcgiServer, fastcgiConnections } from '../fastcgi/server.js';
import type { ServerOptions } from '../options.js';
import { gatewayTransport } from './gateway.js';
import type { Transport } from './protocol.js';

/** FastCGI through `createFastcgiServer`: kept-alive connections, one request at a time each. */
export function fastcgiTransport(app: Application, options: ServerOptions): Transport {
  const server = createFastcgiServer(app, options);
  return gatewayTransport(server, fastcgiConnections(server));
}
