import type { Server } from 'node:net';

/** Where a listener (or a `TsgiServer`) listens. */
export interface TsgiAddress {
  /** The bound address for TCP, e.g. `'127.0.0.1'` or `'::1'`. */
  host?: string;
  /** The bound TCP port (the real one when `port: 0` was asked). */
  port?: number;
  /** The Unix socket path. */
  path?: string;
  /** The inherited file descriptor listened on, when the target was an `fd`. */
  fd?: number;
  /**
   * A URL to reach the server, its scheme the protocol: `http://127.0.0.1:8000`,
   * `uwsgi://[::1]:3031`, or `unix:/run/app.sock` for a Unix socket.
   */
  url: string;
}

/** Starts `server` listening on `target`; resolves once it listens, rejects on its `'error'`. */
export function listenOn(server: Server, target: object): Promise<void> {
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

/** The address a listening `server` is bound to, its URL in the `scheme` of its protocol. */
export function addressOf(
  server: Server,
  scheme: string,
  socketPath: string | undefined,
  fd: number | undefined,
): TsgiAddress {
  const bound = server.address();
  const extra = fd === undefined ? {} : { fd };
  if (bound !== null && typeof bound === 'object') {
    const host = bound.address;
    const shown = host.includes(':') ? `[${host}]` : host;
    return { host, port: bound.port, ...extra, url: `${scheme}://${shown}:${bound.port}` };
  }
  const path = typeof bound === 'string' ? bound : (socketPath ?? '');
  return { path, ...extra, url: `unix:${path}` };
}
