import type { Writable } from 'node:stream';
import { type ErrorStream, isScriptName } from '@tsgi/spec';
import type { AccessLogFormat } from '../contracts/access-log.js';
import type { RequestMetrics } from '../contracts/request-events.js';
import { defaults } from './defaults.js';
import type { TlsOptions } from './tls.js';

export type { AccessLogFormat } from '../contracts/access-log.js';

/**
 * Options shared by `createHandler`, `createServer` and `serve`: what the
 * application sees and how a single request is policed.
 */
export interface HandlerOptions {
  /**
   * Largest request body in bytes. Past it the application's read of
   * `tsgi.input` rejects with `BodyTooLargeError` and the client gets 413.
   * `Infinity` turns the limit off. Default `defaults.bodyLimit` (1 MiB, like Nginx).
   */
  bodyLimit?: number;
  /** Longest request target (path and query) in bytes; longer is a 414. Default `defaults.maxUrlLength`. */
  maxUrlLength?: number;
  /** Most request header fields; more is a 431 and the app is not called. Default `defaults.maxHeadersCount`. */
  maxHeadersCount?: number;
  /**
   * Which peers may set the client address, scheme and host through
   * `X-Forwarded-For`/`-Proto`/`-Host` or `Forwarded`. Off by default.
   * A list of addresses and CIDRs (`'10.0.0.0/8'`, `'::1'`), `'loopback'`
   * (127.0.0.0/8 and ::1) and `'unix'` (a Unix-socket peer), or `true` for every peer.
   */
  trustProxy?: boolean | string | readonly string[];
  /** Access log: off (`defaults.accessLog`), `'common'` (Common Log Format) or `'json'` (JSON lines). */
  accessLog?: false | AccessLogFormat;
  /** Where access log lines go. Default `process.stdout`. */
  accessLogStream?: Pick<Writable, 'write'>;
  /**
   * Where `tsgi.errors` writes and where the server reports application errors:
   * a writable stream or an `ErrorStream`. Default `process.stderr`.
   */
  errors?: Pick<Writable, 'write'> | ErrorStream;
  /** Put the error message and stack in the 500 body. Development only. Default `defaults.debug`. */
  debug?: boolean;
  /**
   * Value of `tsgi.multiprocess`: true when several worker processes run the
   * app. Default `defaults.multiprocess`.
   */
  multiprocess?: boolean;
  /**
   * Value of `SCRIPT_NAME`, when the app is mounted under a prefix such as
   * `/api`. Default `defaults.scriptName`.
   */
  scriptName?: string;
  /**
   * Milliseconds a response may stay stalled on a client that reads nothing
   * (backpressure) before its connection is destroyed; 0 is never. Default
   * `defaults.idleTimeout`. Silent clients at other moments are covered by `headersTimeout`,
   * `requestTimeout` and `keepAliveTimeout`.
   */
  idleTimeout?: number;
  /**
   * Counts requests, durations, bytes and refusals into this collector (see
   * docs/operations/metrics.md); `false` is off. `createListener` and `serve`
   * also count the requests in flight. Default `defaults.metrics` (off).
   */
  metrics?: RequestMetrics | false;
}

/** Options of the `node:http` server itself: parser limits and timeouts. */
export interface ServerOptions extends HandlerOptions {
  /** Largest request head (request line and headers) in bytes; larger is a 431. Default `defaults.maxHeaderSize`. */
  maxHeaderSize?: number;
  /** Milliseconds a client has to send the complete request head; then 408. Default `defaults.headersTimeout`. */
  headersTimeout?: number;
  /** Milliseconds a client has to send the complete request; then 408. Default `defaults.requestTimeout`. */
  requestTimeout?: number;
  /** Milliseconds an idle keep-alive connection stays open. Default `defaults.keepAliveTimeout`. */
  keepAliveTimeout?: number;
  /**
   * uwsgi and FastCGI: `'raw'` serves each connection straight on its libuv
   * handle, without a `net.Socket` (through Node's stream-handle binding,
   * checked once; `net.Socket` where it is missing); `'node'` always uses
   * `net.Socket`. Default `defaults.sockets`.
   */
  sockets?: 'raw' | 'node';
  /**
   * HTTP: the largest WebSocket message in bytes. A longer one closes the
   * connection with 1009, checked against each frame header before its
   * payload is read. Default `defaults.websocketMaxMessage` (16 MiB).
   */
  websocketMaxMessage?: number;
  /**
   * HTTP: milliseconds a WebSocket may stay silent before the server pings
   * it; one still silent after as long again is closed. 0 turns pings off.
   * Default `defaults.websocketPingInterval`.
   */
  websocketPingInterval?: number;
  /**
   * HTTP: offer WebSocket `permessage-deflate` (RFC 7692). It costs a zlib
   * context per connection (about 300 KB each way at the default window), so
   * it is off unless asked for. Default `defaults.websocketDeflate`.
   */
  websocketDeflate?: boolean;
}

/** Where `serve` listens: TCP, a Unix socket, or a handle/fd it is given. */
export interface ListenOptions {
  /** Address to bind for TCP. Default `defaults.host`. */
  host?: string;
  /** TCP port; `0` picks a free one. Default `defaults.port`. */
  port?: number;
  /** Path of a Unix socket to listen on instead of TCP. */
  socket?: string;
  /**
   * File mode of the Unix socket, e.g. `0o600`; it never depends on the umask (the
   * socket is bound owner-only, then given this mode). Default `defaults.socketMode` (`0o660`).
   */
  socketMode?: number;
  /** An already-open listening file descriptor (systemd socket activation passes 3). */
  fd?: number;
  /** An already-listening handle or `net.Server` to accept connections from. */
  handle?: object;
  /** Length of the pending-connection queue. Default `defaults.backlog`. */
  backlog?: number;
}

/** Everything `serve` takes: with `certfile` and `keyfile` it serves HTTPS. */
export interface ServeOptions extends ServerOptions, ListenOptions, TlsOptions {}

/** Handler options with every default filled in. */
export interface ResolvedHandlerOptions {
  bodyLimit: number;
  maxUrlLength: number;
  maxHeadersCount: number;
  debug: boolean;
  multiprocess: boolean;
  scriptName: string;
  idleTimeout: number;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new TypeError(`@tsgi/node: option ${name} must be a number >= 0, got ${String(value)}`);
  }
  return value;
}

/** Checks handler options and fills in the defaults. Throws a TypeError naming a bad option. */
export function resolveHandlerOptions(options: HandlerOptions = {}): ResolvedHandlerOptions {
  const scriptName = options.scriptName ?? defaults.scriptName;
  if (!isScriptName(scriptName)) {
    throw new TypeError(
      `@tsgi/node: option scriptName must be "" or start, and not end, with "/", got ${JSON.stringify(scriptName)}`,
    );
  }
  return {
    bodyLimit: positive('bodyLimit', options.bodyLimit, defaults.bodyLimit),
    maxUrlLength: positive('maxUrlLength', options.maxUrlLength, defaults.maxUrlLength),
    maxHeadersCount: positive('maxHeadersCount', options.maxHeadersCount, defaults.maxHeadersCount),
    debug: (options.debug ?? defaults.debug) === true,
    multiprocess: (options.multiprocess ?? defaults.multiprocess) === true,
    scriptName,
    idleTimeout: positive('idleTimeout', options.idleTimeout, defaults.idleTimeout),
  };
}

/** Checks a timeout/size option of the server and fills in its default. */
export function serverNumber(
  name:
    | 'maxHeaderSize'
    | 'headersTimeout'
    | 'requestTimeout'
    | 'keepAliveTimeout'
    | 'websocketMaxMessage'
    | 'websocketPingInterval',
  value: number | undefined,
): number {
  return positive(name, value, defaults[name]);
}
