import { chmod } from 'node:fs/promises';
import type { Server } from 'node:net';
import { type Application, flushLineBuffers } from '@tsgi/spec';
import { type Protocol, protocols } from '../contracts/protocol.js';
import type { ListenerRequest, WebSocketCounts } from '../contracts/request-events.js';
import { fastcgiTransport } from '../fastcgi/transport.js';
import { httpTransport } from '../http/transport.js';
import { priorKnowledgeTransport } from '../http2/prior-knowledge.js';
import { http2Side } from '../http2/server.js';
import { type DrainReport, drain } from '../lifecycle/drain.js';
import { shutdown } from '../lifecycle/shutdown.js';
import type { Transport, TransportFactory } from '../lifecycle/transport.js';
import { defaults } from '../options/defaults.js';
import { type ListenOptions, type ServerOptions, serverNumber } from '../options/options.js';
import { type ResolvedTls, resolveTls, type TlsOptions } from '../tls/options.js';
import { secureTransport } from '../tls/secure-server.js';
import { uwsgiTransport } from '../uwsgi/transport.js';
import { addressOf, listenOn, type TsgiAddress } from './address.js';
import { ownerOnlyUmask } from './socket-file.js';
import { clearStaleSocket } from './stale-socket.js';

/**
 * The transport of each protocol. A new protocol is its folder's transport
 * factory here and its name in `protocols`; TypeScript holds the two together.
 */
const TRANSPORTS: Record<Protocol, TransportFactory> = {
  http: httpTransport,
  uwsgi: uwsgiTransport,
  fastcgi: fastcgiTransport,
};

/** How `Listener.listen` treats a Unix socket file. */
export interface ListenMode {
  /**
   * The socket file belongs to another process (a cluster primary that
   * shares it with its workers): neither replace a stale one nor `chmod` it.
   * Default false.
   */
  sharedSocket?: boolean;
}

/**
 * A server of one protocol running one application, the same shape for every
 * protocol: `serve()` and the `tsgi` workers both use it.
 */
export interface Listener {
  /** The protocol it speaks. */
  readonly protocol: Protocol;
  /**
   * The server that listens: a `node:http` `Server` for HTTP, a `tls.Server`
   * for HTTPS (in front of the `node:http` one, `transport.httpServer`), a
   * `net.Server` for uwsgi, FastCGI, and cleartext HTTP/2 (`h2c`, in front
   * of the `node:http` one too).
   */
  readonly server: Server;
  /**
   * The protocol's transport this listener drives: its connections and how
   * they stop (low level; see `@tsgi/node/internals`).
   */
  readonly transport: Transport;
  /** Where it listens; throws before `listen` resolved. */
  readonly address: TsgiAddress;
  /** Calls `listener` for each request, before the application runs it. */
  on(event: 'request', listener: (request: ListenerRequest) => void): this;
  /** Its WebSocket figures (open, accepted, messages); undefined on uwsgi and FastCGI. */
  webSockets(): WebSocketCounts | undefined;
  /**
   * Listens on TCP (`host`, `port`), a Unix socket (`socket`, `socketMode`:
   * `defaults.socketMode` (0o660) unless given, whatever the umask; a stale
   * socket file left by a dead process, or by one that stopped accepting, is
   * replaced, a live one or a non-socket is an error) or an inherited
   * `fd`/`handle`. Resolves with the address.
   */
  listen(where?: ListenOptions, mode?: ListenMode): Promise<TsgiAddress>;
  /**
   * Stops accepting, closes idle keep-alive connections, lets in-flight
   * requests finish (their responses close their connection) for up to
   * `timeoutMs`, then destroys what is left. Resolves when all are closed
   * and the log lines of the process were flushed (`flushLineBuffers`).
   */
  close(timeoutMs?: number): Promise<void>;
  /**
   * The zero-loss stop (the `tsgi` workers use it for reloads, recycling and
   * stops): stops accepting; every response from now on carries
   * `Connection: close`; a connection closes only after such a response,
   * after it sat idle past the keep-alive timeout, or when its client closes
   * it — never while a request may be on its way. What is left after
   * `timeoutMs` is destroyed. The access log marks each response that ends
   * meanwhile with `reason` (default `drain`). Resolves with how each
   * connection ended, once the log lines of the process were flushed.
   */
  drain(timeoutMs?: number, reason?: string): Promise<DrainReport>;
}

/**
 * A listener for `app` speaking `protocol`, configured by `options`, not
 * listening yet. With `certfile` and `keyfile` (HTTP only) it serves HTTPS:
 * the files are read and checked now, and a bad one throws a `TlsFileError`
 * naming it; TLS options given to uwsgi or FastCGI throw a TypeError.
 *
 * @example
 * const listener = createListener(app, 'uwsgi', { bodyLimit: 10 * 1024 * 1024 });
 * listener.on('request', (request) => console.log(request.method, request.target));
 * await listener.listen({ socket: '/run/tsgi/app.sock', socketMode: 0o660 });
 * process.on('SIGTERM', () => void listener.drain(30_000).then(() => process.exit(0)));
 */
export function createListener(
  app: Application,
  protocol: Protocol = 'http',
  options: ServerOptions & TlsOptions = {},
): Listener {
  const factory: TransportFactory | undefined = Object.hasOwn(TRANSPORTS, protocol)
    ? TRANSPORTS[protocol]
    : undefined;
  if (factory === undefined) {
    throw new TypeError(
      `@tsgi/node: protocol must be one of ${protocols.join(', ')}, got ${String(protocol)}`,
    );
  }
  const tls = resolveTls(protocol, options);
  const transport = stack(factory(app, options), app, options, tls);
  const server = transport.server;
  const scheme = tls === undefined ? protocol : 'https';
  let bound: TsgiAddress | undefined;
  const listener: Listener = {
    protocol,
    server,
    transport,
    get address(): TsgiAddress {
      if (bound === undefined) throw new Error('@tsgi/node: the listener is not listening yet');
      return bound;
    },
    on(_event, listener) {
      transport.onRequest(listener);
      return this;
    },
    webSockets: () => transport.websockets?.figures(),
    async listen(where = {}, mode = {}) {
      await listenTo(server, where, mode);
      bound = addressOf(server, scheme, where.socket, where.fd);
      return bound;
    },
    async close(timeoutMs = defaults.closeTimeout) {
      await shutdown(transport, timeoutMs);
      await flushLineBuffers();
    },
    async drain(timeoutMs = defaults.closeTimeout, reason) {
      const report = await drain(transport, timeoutMs, reason);
      await flushLineBuffers();
      return report;
    },
  };
  if (options.metrics) options.metrics.attach(listener);
  return listener;
}

async function listenTo(server: Server, where: ListenOptions, mode: ListenMode): Promise<void> {
  const backlog = where.backlog ?? defaults.backlog;
  const owned = mode.sharedSocket !== true;
  if (where.socket !== undefined) {
    if (!owned) {
      await listenOn(server, { path: where.socket, backlog });
      return;
    }
    await clearStaleSocket(where.socket);
    // Bound owner-only, then given its mode: never open wider, whatever the umask.
    const restore = ownerOnlyUmask();
    let listening: Promise<void>;
    try {
      listening = listenOn(server, { path: where.socket, backlog });
    } finally {
      restore();
    }
    await listening;
    await chmod(where.socket, where.socketMode ?? defaults.socketMode);
  } else if (where.fd !== undefined) {
    await listenOn(server, { fd: where.fd, backlog });
  } else if (where.handle !== undefined) {
    await listenOn(server, where.handle);
  } else {
    const port = where.port ?? defaults.port;
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new TypeError(`@tsgi/node: port must be 0-65535, got ${String(port)}`);
    }
    await listenOn(server, { host: where.host ?? defaults.host, port, backlog });
  }
}

/**
 * The transport `plain` with what stands in front of it: TLS (HTTP/2 by
 * ALPN beside HTTP/1.1), or cleartext HTTP/2 by prior knowledge when
 * `httpProtocols` lists `'h2c'`, or nothing.
 */
function stack(
  plain: Transport,
  app: Application,
  options: ServerOptions & TlsOptions,
  tls: ResolvedTls | undefined,
): Transport {
  const headersTimeout = serverNumber('headersTimeout', options.headersTimeout);
  if (tls !== undefined) {
    const h2 = tls.httpProtocols.includes('h2') ? http2Side(app, options) : undefined;
    return secureTransport(plain, tls, headersTimeout, h2);
  }
  const wanted = options.httpProtocols;
  if (plain.protocol !== 'http' || wanted === undefined || !wanted.includes('h2c')) return plain;
  return priorKnowledgeTransport(
    plain,
    http2Side(app, options),
    wanted.includes('http/1.1'),
    headersTimeout,
  );
}
