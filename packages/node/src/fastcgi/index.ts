import type { Server } from 'node:net';
import type { Application } from '@tsgi/spec';
import { shutdown } from '../lifecycle/shutdown.js';
import type { Transport } from '../lifecycle/transport.js';
import { defaults } from '../options/defaults.js';
import type { ServerOptions } from '../options/options.js';
import { fastcgiTransport } from './transport.js';

export { decodeParams, encodeParams, MalformedRecordError } from './params.js';
export { MAX_PARAMS_SIZE } from './request.js';
export { fastcgiTransport } from './transport.js';

/** A FastCGI server made by `createFastcgiServer`: a `net.Server`, and the transport that serves it. */
export interface FastcgiServer extends Server {
  /** Its connections and how they stop (what `closeFastcgiServer` drives). */
  readonly transport: Transport;
}

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
  const transport = fastcgiTransport(app, options);
  return Object.assign(transport.server, { transport });
}

/**
 * Stops a FastCGI server the way every listener stops (`Listener.close`): no
 * new connections, idle ones ended, each request already running served, and
 * whatever is left after `timeout` ms destroyed.
 */
export function closeFastcgiServer(
  server: FastcgiServer,
  timeout: number = defaults.closeTimeout,
): Promise<void> {
  return shutdown(server.transport, timeout);
}
