import type { Application } from '@tsgi/spec';
import {
  closeTransportServer,
  standaloneServer,
  type TransportServer,
} from '../lifecycle/standalone.js';
import type { ServerOptions } from '../options/options.js';
import { uwsgiTransport } from './transport.js';

export { encodePacket, MalformedPacketError, parseVars } from './packet.js';
export { uwsgiTransport } from './transport.js';

/**
 * Options of the uwsgi server: the handler options (limits, access log,
 * errors, `multiprocess`, `scriptName`) plus the timeouts that apply.
 * `trustProxy` is ignored: the client address comes from Nginx's `REMOTE_ADDR`.
 */
export interface UwsgiServerOptions extends ServerOptions {}

/** A uwsgi server made by `createUwsgiServer`: a `net.Server`, and the transport that serves it. */
export type UwsgiServer = TransportServer;

/**
 * A configured, not yet listening `net.Server` speaking the uwsgi protocol of
 * Nginx's `uwsgi_pass` (see `uwsgiTransport`). Most callers want
 * `createListener(app, 'uwsgi')`, which listens, drains and reports requests
 * the same way for every protocol.
 *
 * @example
 * const server = createUwsgiServer(app, { bodyLimit: 10 * 1024 * 1024 });
 * server.listen('/run/tsgi/app.sock');
 */
export function createUwsgiServer(app: Application, options: UwsgiServerOptions = {}): UwsgiServer {
  return standaloneServer(uwsgiTransport(app, options));
}

/**
 * Stops a uwsgi server the way every listener stops (`Listener.close`): no new
 * connections; each one already accepted is served, and whatever is left after
 * `timeout` ms is destroyed. Resolves once every connection is gone.
 */
export const closeUwsgiServer: (server: UwsgiServer, timeout?: number) => Promise<void> =
  closeTransportServer;
