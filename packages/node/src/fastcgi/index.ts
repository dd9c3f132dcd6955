import type { Application } from '@tsgi/spec';
import {
  closeTransportServer,
  standaloneServer,
  type TransportServer,
} from '../lifecycle/standalone.js';
import type { ServerOptions } from '../options/options.js';
import { fastcgiTransport } from './transport.js';

export { decodeParams, encodeParams, MalformedRecordError } from './params.js';
export { MAX_PARAMS_SIZE } from './request.js';
export { fastcgiTransport } from './transport.js';

/** A FastCGI server made by `createFastcgiServer`: a `net.Server`, and the transport that serves it. */
export type FastcgiServer = TransportServer;

/**
 * A configured, not yet listening `net.Server` speaking FastCGI 1.0 as a
 * Responder for Nginx's `fastcgi_pass` (see `fastcgiTransport`). Most callers
 * want `createListener(app, 'fastcgi')`, which listens, drains and reports
 * requests the same way for every protocol.
 *
 * @example
 * const server = createFastcgiServer(app, { keepAliveTimeout: 75_000 });
 * server.listen('/run/tsgi/app.sock');
 */
export function createFastcgiServer(app: Application, options: ServerOptions = {}): FastcgiServer {
  return standaloneServer(fastcgiTransport(app, options));
}

/**
 * Stops a FastCGI server the way every listener stops (`Listener.close`): no
 * new connections, idle ones ended, each request already running served, and
 * whatever is left after `timeout` ms destroyed.
 */
export const closeFastcgiServer: (server: FastcgiServer, timeout?: number) => Promise<void> =
  closeTransportServer;
