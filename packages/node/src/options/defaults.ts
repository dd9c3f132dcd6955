import type { Protocol } from '../contracts/protocol.js';

/**
 * Every default of `@tsgi/node`, in one place: the options of `serve`,
 * `createServer`, `createListener` and `createHandler`, and those of the
 * `tsgi` CLI alone. Times are milliseconds and sizes bytes, whatever unit a
 * flag takes. The CLI's defaults and `tsgi --help` are read from it, and a
 * test holds the option and CLI tables of docs/packages/node/ to it.
 */
export const defaults = {
  /** Largest request body in bytes (1 MiB, like Nginx). */
  bodyLimit: 1_048_576,
  /** Longest request target in bytes. */
  maxUrlLength: 8192,
  /** Most request header fields. */
  maxHeadersCount: 100,
  /** Largest request head in bytes (HTTP). */
  maxHeaderSize: 16_384,
  /** Time to receive the request head (HTTP), the packet (uwsgi) or the params (FastCGI). */
  headersTimeout: 20_000,
  /** Time to receive the whole request (HTTP). */
  requestTimeout: 300_000,
  /** Lifetime of an idle keep-alive connection (HTTP, FastCGI). */
  keepAliveTimeout: 5_000,
  /**
   * How the uwsgi and FastCGI listeners hold their connections: `'raw'` drives Node's libuv
   * stream handles directly (no `net.Socket` per connection; `net.Socket`
   * where this Node lacks them), `'node'` always makes a `net.Socket`.
   */
  sockets: 'raw' as 'raw' | 'node',
  /** Time a response may stay stalled on a client that reads nothing; 0 is never. */
  idleTimeout: 120_000,
  /** `SCRIPT_NAME`: mounted at the root. */
  scriptName: '',
  /** Error details in 500 bodies. */
  debug: false,
  /** `tsgi.multiprocess` (the CLI sets it when workers run the app). */
  multiprocess: false,
  /** The access log is off. */
  accessLog: false,
  /** Address to bind for TCP. */
  host: '127.0.0.1',
  /** TCP port. */
  port: 8000,
  /** File mode of a Unix socket (`socketMode`, `--chmod-socket`): owner and group read-write, whatever the umask. */
  socketMode: 0o660,
  /** Length of the pending-connection queue. */
  backlog: 511,
  /** How long `TsgiServer.close` and `Listener.close` let in-flight requests finish. */
  closeTimeout: 10_000,
  /** Largest WebSocket message in bytes (16 MiB); a longer one closes the connection with 1009. */
  websocketMaxMessage: 16_777_216,
  /** A WebSocket silent this long is pinged, and closed when it stays silent as long again; 0 is never. */
  websocketPingInterval: 30_000,
  /** WebSocket `permessage-deflate` is off. */
  websocketDeflate: false,
  /** HTTPS: no client certificate is asked for (`'optional'` or `'required'` with `caCerts`). */
  certReqs: 'none' as 'none' | 'optional' | 'required',
  /** HTTPS: what ALPN offers, most preferred first: HTTP/2, then HTTP/1.1. */
  httpProtocols: ['h2', 'http/1.1'] as readonly ('h2' | 'http/1.1')[],
  /** HTTP/2: streams a session may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS). */
  http2MaxConcurrentStreams: 100,
  /** CLI: the wire protocol. */
  protocol: 'http' as Protocol,
  /** CLI: worker processes; `'cpus'` is one per CPU (`os.availableParallelism()`). */
  workers: 'cpus' as number | 'cpus',
  /** CLI: requests after which a worker is recycled; 0 is never. */
  maxRequests: 0,
  /** CLI: the jitter added to `maxRequests` when none is given, in percent of it. */
  maxRequestsJitterPercent: 10,
  /** CLI: time after which a request is cut and its worker recycled; 0 is off. */
  harakiri: 0,
  /** CLI: how long in-flight requests may finish on stop, reload and recycling. */
  gracefulTimeout: 30_000,
  /** Metrics are off: `serve`'s `metrics` takes a `MetricsCollector`, the CLI's `--metrics` an address. */
  metrics: false as false | string,
  /** CLI, development: watching the app's files and reloading the workers on change is off. */
  reload: false,
  /** CLI: what `--reload` watches, comma-separated; empty is the app module's folder. */
  reloadDir: '',
  /** CLI: how long `--reload` waits after the last change before it reloads. */
  reloadDebounce: 200,
} as const;
