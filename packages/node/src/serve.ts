import { chmod } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { Application } from '@tsgi/spec';
import { contextOf, createServer } from './create-server.js';
import { clearStaleSocket } from './listener/stale-socket.js';
import { defaults, type ServeOptions } from './options.js';

/** Where a `TsgiServer` listens. */
export interface TsgiAddress {
  /** The bound address for TCP, e.g. `'127.0.0.1'` or `'::1'`. */
  host?: string;
  /** The bound TCP port (the real one when `port: 0` was asked). */
  port?: number;
  /** The Unix socket path. */
  path?: string;
  /** A URL to reach the server: `http://127.0.0.1:8000` or `unix:/run/app.sock`. */
  url: string;
}

/** Options of `TsgiServer.close`. */
export interface CloseOptions {
  /**
   * Milliseconds in-flight requests get to finish before their connections
   * are destroyed (their bodies' `close()` still runs). Default 10_000.
   */
  timeout?: number;
}

/** A running server, as `serve` resolves it. */
export interface TsgiServer {
  /** Where it listens. */
  readonly address: TsgiAddress;
  /** The underlying `node:http` server. */
  readonly server: Server;
  /**
   * Stops accepting connections, closes idle keep-alive connections, lets
   * in-flight requests finish (their responses close their connection) for up
   * to `timeout` ms, then destroys what is left. Resolves when all are closed.
   */
  close(options?: CloseOptions): Promise<void>;
}

/**
 * Serves `app` over HTTP/1.1 on TCP (`host`, `port`), a Unix socket (`socket`,
 * `socketMode`) or an inherited listener (`fd`, `handle`). Resolves once listening.
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
  const server = createServer(app, options);
  const backlog = options.backlog ?? defaults.backlog;
  const socketPath = options.socket;
  if (socketPath !== undefined) {
    await clearStaleSocket(socketPath);
    await listen(server, { path: socketPath, backlog });
    if (options.socketMode !== undefined) await chmod(socketPath, options.socketMode);
  } else if (options.fd !== undefined) {
    await listen(server, { fd: options.fd, backlog });
  } else if (options.handle !== undefined) {
    await listen(server, options.handle);
  } else {
    const port = options.port ?? defaults.port;
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new TypeError(`@tsgi/node: port must be 0-65535, got ${String(port)}`);
    }
    await listen(server, { host: options.host ?? defaults.host, port, backlog });
  }
  return {
    address: addressOf(server, socketPath),
    server,
    close: (closeOptions) => shutdown(server, closeOptions),
  };
}

function listen(server: Server, target: object): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.removeListener('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.removeListener('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(target);
  });
}

function addressOf(server: Server, socketPath: string | undefined): TsgiAddress {
  const bound = server.address();
  if (bound !== null && typeof bound === 'object') {
    const host = bound.address;
    const shown = host.includes(':') ? `[${host}]` : host;
    return { host, port: bound.port, url: `http://${shown}:${bound.port}` };
  }
  const path = typeof bound === 'string' ? bound : (socketPath ?? '');
  return { path, url: `unix:${path}` };
}

function shutdown(server: Server, options: CloseOptions = {}): Promise<void> {
  const timeout = options.timeout ?? 10_000;
  const context = contextOf(server);
  if (context !== undefined) context.closing = true;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => server.closeAllConnections(), timeout);
    timer.unref();
    // A response that was already under way keeps its connection alive when it
    // ends; sweep such connections as soon as they turn idle.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    sweep.unref();
    server.close((error) => {
      clearTimeout(timer);
      clearInterval(sweep);
      if (
        error !== undefined &&
        (error as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING'
      ) {
        reject(error);
      } else {
        resolve();
      }
    });
    server.closeIdleConnections();
  });
}
