import type { Protocol } from '../contracts/protocol.js';

/**
 * Everything `tsgi serve` runs with: the one object the CLI (`cli/config.ts`)
 * builds from flags, environment, config file and defaults, and the
 * supervisor runs. Sizes are bytes, times seconds, as the flags take them.
 */
export interface CliConfig {
  /** `path/to/app.js[:export]`. */
  module: string;
  host: string;
  port: number;
  socket: string | undefined;
  /** The Unix socket's file mode (`defaults.socketMode` unless given). */
  chmodSocket: number;
  backlog: number;
  protocol: Protocol;
  /** HTTPS: the PEM certificate and key files; undefined for cleartext. */
  certfile: string | undefined;
  keyfile: string | undefined;
  /** The CA bundle for client certificates. */
  caCerts: string | undefined;
  certReqs: 'none' | 'optional' | 'required';
  /** What ALPN offers as `--http-protocols` writes it (`h2,h1`). */
  httpProtocols: string;
  http2MaxConcurrentStreams: number;
  workers: number;
  maxRequests: number;
  maxRequestsJitter: number;
  /** Seconds; 0 is off. */
  harakiri: number;
  /** Seconds. */
  gracefulTimeout: number;
  /** Where the master serves /metrics and /stats; false (or `''`, `'off'`) is off. */
  metrics: string | false;
  bodyLimit: number;
  maxUrlLength: number;
  maxHeadersCount: number;
  maxHeaderSize: number;
  /** Seconds, like every timeout here. */
  headersTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
  idleTimeout: number;
  /** Bytes. */
  websocketMaxMessage: number;
  /** Seconds; 0 is off. */
  websocketPingInterval: number;
  websocketDeflate: boolean;
  trustProxy: string | undefined;
  accessLog: 'off' | 'common' | 'json';
  scriptName: string;
  debug: boolean;
  sockets: 'raw' | 'node';
  /** Development: reload the workers when the watched files change. */
  reload: boolean;
  /** What `reload` watches, comma-separated; `''` is the app module's folder. */
  reloadDir: string;
  /** An inherited listening fd (systemd socket activation), set by the CLI, not a flag. */
  fd?: number | undefined;
}
