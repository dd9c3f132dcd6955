import type { Server } from 'node:net';
import type { Application } from '@tsgi/spec';
import type { ServerOptions } from '../options.js';
import type { DrainableConnections } from './drain.js';

/**
 * One request as a listener's `'request'` event reports it, the same for
 * every protocol: enough to count, name and time it, and to cut it short.
 */
export interface ListenerRequest {
  /** The request method, e.g. `'GET'`. */
  readonly method: string;
  /** The request target as the client sent it: path and query. */
  readonly target: string;
  /**
   * Answers `status` with `text` as a plain-text body when nothing was sent
   * yet (the harakiri 504); cuts the connection otherwise.
   */
  abort(status: number, text: string): void;
  /** Calls `listener` once the response is done or its connection is gone. */
  onClose(listener: () => void): void;
}

/** A protocol's server, not listening yet, as the listener drives it. */
export interface Transport extends DrainableConnections {
  /** The `net.Server` (a `node:http` `Server` for HTTP) to listen on. */
  readonly server: Server;
  /** Calls `listener` for each request the application is about to run, before it runs. */
  onRequest(listener: (request: ListenerRequest) => void): void;
}

/**
 * A wire protocol: builds its transport for `app`. A new protocol (FastCGI)
 * is one more of these in the listener's table; callers do not change.
 */
export type ProtocolDriver = (app: Application, options: ServerOptions) => Transport;
