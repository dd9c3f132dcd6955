import type { Server } from 'node:http';
import type { Application } from '@tsgi/spec';
import { defaults } from '../options/defaults.js';
import type { ServeOptions } from '../options/options.js';
import type { TsgiAddress } from './address.js';
import { createListener, type Listener } from './listener.js';
import { refuseServeWhileLoading } from './serve-guard.js';

export type { TsgiAddress } from './address.js';

/** Options of `TsgiServer.close`. */
export interface CloseOptions {
  /**
   * Milliseconds in-flight requests get to finish before their connections
   * are destroyed (their bodies' `close()` still runs). Default
   * `defaults.closeTimeout` (10_000).
   */
  timeout?: number;
}

/** A running HTTP server, as `serve` resolves it. */
export interface TsgiServer {
  /** Where it listens. */
  readonly address: TsgiAddress;
  /**
   * The underlying `node:http` server. With TLS it does not listen itself:
   * `listener.server`, a `tls.Server`, hands it each TLS connection.
   */
  readonly server: Server;
  /** The listener it runs on (the same type the `tsgi` workers use). */
  readonly listener: Listener;
  /**
   * Stops accepting connections, closes idle keep-alive connections, lets
   * in-flight requests finish (their responses close their connection) for up
   * to `timeout` ms, then destroys what is left. Resolves when all are closed.
   */
  close(options?: CloseOptions): Promise<void>;
}

/**
 * Serves `app` over HTTP/1.1 on TCP (`host`, `port`), a Unix socket (`socket`,
 * `socketMode`) or an inherited listener (`fd`, `handle`); over TLS (HTTPS)
 * with `certfile` and `keyfile`, whose files are read and checked first (a
 * `TlsFileError` names a missing, non-PEM or mismatched one). Resolves once
 * listening. It is `createListener(app, 'http', options)` listening on `options`.
 *
 * Under `tsgi serve`, an app module that calls `serve()` while it is
 * imported gets an error naming the fix: export the application, and serve
 * it from another file (or let `tsgi serve` do it).
 *
 * A stale Unix socket file left by a dead process is replaced; one a live
 * process still accepts on is an error, and so is a path that is not a socket.
 *
 * @example
 * import { serve } from '@tsgi/node';
 * import { jsonResponse } from '@tsgi/spec';
 *
 * const server = await serve((environ, startResponse) =>
 *   jsonResponse(startResponse, 200, { status: 'ok' }), { port: 8000 });
 * console.log(`listening on ${server.address.url}`);
 */
export async function serve(app: Application, options: ServeOptions = {}): Promise<TsgiServer> {
  refuseServeWhileLoading();
  const listener = createListener(app, 'http', options);
  const address = await listener.listen(options);
  return {
    address,
    server: (listener.transport.httpServer ?? listener.server) as Server,
    listener,
    close: (closeOptions) => listener.close(closeOptions?.timeout ?? defaults.closeTimeout),
  };
}
