import type { Server as HttpServer } from 'node:http';
import type { Server } from 'node:net';
import type { Application } from '@tsgi/spec';
import type { Protocol } from '../contracts/protocol.js';
import type { ListenerRequest, WebSocketCounts } from '../contracts/request-events.js';
import type { ServerOptions } from '../options/options.js';
import type { WireSocket } from '../wire/wire-socket.js';

/**
 * One wire protocol's server for one application, not listening yet: the
 * one shape every protocol folder builds (`httpTransport`, `uwsgiTransport`,
 * `fastcgiTransport`) and `createListener` composes. Its per-server state
 * lives in the closure that built it. Listening is the `server`'s; stopping
 * goes through the shared `shutdown` (quick close) and `drain` (zero-loss
 * stop), which call the methods below.
 */
export interface Transport {
  /** The protocol it speaks. */
  readonly protocol: Protocol;
  /** The `net.Server` (a `node:http` `Server` for HTTP, a `tls.Server` for HTTPS) to listen on. */
  readonly server: Server;
  /** HTTPS and h2c: the `node:http` server the server in front hands each HTTP/1.1 connection to. */
  readonly httpServer?: HttpServer;
  /** Calls `listener` for each request the application is about to run, before it runs. */
  onRequest(listener: (request: ListenerRequest) => void): void;
  /**
   * Marks the server as closing: responses under way close their connection
   * when done. With a drain `reason` (`reload`), the access log says so on
   * each response that ends from now on.
   */
  markClosing(reason?: string): void;
  /** Closes the connections that carry no request now (keep-alive between requests). */
  closeIdle(): void;
  /** Destroys every connection left. */
  destroyAll(): void;
  /**
   * Stops accepting new connections and leaves every open one alone (no idle
   * one is closed); `done` runs once the last connection has closed.
   */
  stopAccepting(done: (error?: Error) => void): void;
  /** The connections open now. */
  sockets(): Iterable<WireSocket>;
  /** The figures of its open WebSockets, for the metrics (the HTTP transport only). */
  readonly websockets?: { figures(): WebSocketCounts };
}

/** Builds a protocol's transport for `app`; checks `options` and throws a TypeError naming a bad one. */
export type TransportFactory = (app: Application, options: ServerOptions) => Transport;
