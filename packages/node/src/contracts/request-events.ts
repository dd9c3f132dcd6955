import type { AccessLogger } from './access-log.js';

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
   * `http` or `https`: the connection's scheme over HTTP (before any trusted
   * proxy header), the gateway's `tsgi.url_scheme` over uwsgi and FastCGI.
   */
  readonly scheme?: string;
  /**
   * Answers `status` with `text` as a plain-text body when nothing was sent
   * yet (the harakiri 504); cuts the connection otherwise.
   */
  abort(status: number, text: string): void;
  /** Calls `listener` once the response is done or its connection is gone. */
  onClose(listener: () => void): void;
}

/** The WebSocket figures of one listener, read when metrics are sampled. */
export interface WebSocketCounts {
  /** WebSockets open now. */
  readonly open: number;
  /** WebSockets accepted since the listener started. */
  readonly accepted: number;
  /** Messages received from peers. */
  readonly received: number;
  /** Messages the application sent. */
  readonly sent: number;
}

/** Something that reports each request before the application runs it: a `Listener`. */
export interface RequestEvents {
  /** Calls `listener` for each request, before the application runs it. */
  on(event: 'request', listener: (request: ListenerRequest) => void): unknown;
  /** Its WebSocket figures; undefined on a listener that serves none (uwsgi, FastCGI). */
  webSockets?(): WebSocketCounts | undefined;
}

/**
 * What the `metrics` option takes (a `MetricsCollector` is one): the server
 * records every request into `record`, after the access log, and a listener
 * made with it calls `attach` once, so the requests in flight can be counted.
 */
export interface RequestMetrics {
  readonly record: AccessLogger;
  attach(listener: RequestEvents): void;
}
