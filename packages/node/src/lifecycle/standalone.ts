import type { Server } from 'node:net';
import { defaults } from '../options/defaults.js';
import { shutdown } from './shutdown.js';
import type { Transport } from './transport.js';

/** A transport's `net.Server` on its own, outside a listener, carrying the transport that serves it. */
export interface TransportServer extends Server {
  /** Its connections and how they stop (what {@link closeTransportServer} drives). */
  readonly transport: Transport;
}

/**
 * `transport`'s server, to listen on yourself (`server.listen(...)`), as the
 * protocol subpaths' `createUwsgiServer` and `createFastcgiServer` return it.
 */
export function standaloneServer(transport: Transport): TransportServer {
  return Object.assign(transport.server, { transport });
}

/**
 * Stops a {@link standaloneServer} the way every listener stops
 * (`Listener.close`): no new connections, idle ones ended, each request
 * already running served, and whatever is left after `timeout` ms destroyed.
 * Resolves once every connection is gone.
 */
export function closeTransportServer(
  server: TransportServer,
  timeout: number = defaults.closeTimeout,
): Promise<void> {
  return shutdown(server.transport, timeout);
}
