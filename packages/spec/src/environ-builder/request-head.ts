import type { InputStream } from '../environ.js';

/**
 * What every transport says about one request before the environ is built:
 * the HTTP server (from `node:http`'s parser), a gateway protocol (uwsgi's
 * CGI variables, FastCGI's params) and the test client's in-process request.
 * `buildEnviron` turns it into the environ, so all of them agree on every key.
 */
export interface RequestHead {
  /** `REQUEST_METHOD`, e.g. `GET`. */
  readonly method: string;
  /** The request-target as received: origin-form (`/a?b`), absolute-form (`http://h/a`) or `*`. */
  readonly target: string;
  /** `SERVER_PROTOCOL`, e.g. `HTTP/1.1`. */
  readonly protocol: string;
  /**
   * The header fields in the order received, as alternating names and values
   * (`node:http`'s `rawHeaders` shape). Names are as sent on the wire, or CGI
   * keys (`HTTP_X_A`, `CONTENT_TYPE`) when `gateway` is set.
   */
  readonly headers: readonly string[];
  /** `REMOTE_ADDR`: the peer's address, `''` on a Unix socket. */
  readonly remoteAddr: string;
  /** `REMOTE_PORT`, `''` on a Unix socket. */
  readonly remotePort: string;
  /** `tsgi.url_scheme` before any trusted proxy header. */
  readonly scheme: string;
  /** The listener's own address: `SERVER_NAME`/`SERVER_PORT` when the request names no host. */
  readonly localAddress?: string | undefined;
  /** The listener's own port, likewise. */
  readonly localPort?: number | undefined;
  /**
   * Other CGI variables the server sets itself, `[A-Z0-9_]+` names only: the
   * `SSL_CLIENT_*` keys of a verified TLS client certificate. A gateway's go in `gateway.extra`.
   */
  readonly extra?: ReadonlyArray<readonly [string, string]> | undefined;
  /** Set by a gateway protocol, whose front server already did part of the work. */
  readonly gateway?: GatewayHead | undefined;
  /**
   * Opens `tsgi.input`: `declaredLength` is the request's `Content-Length` (-1
   * when it has none) and `chunked` tells a `Transfer-Encoding` body. Called
   * once, for every request, with or without a body.
   */
  openInput(declaredLength: number, chunked: boolean): InputStream;
}

/**
 * What a front server (Nginx's `uwsgi_params` or `fastcgi_params`) passes on
 * besides the headers: already-decoded paths, its own server name, and other
 * CGI variables. The front server is trusted: no proxy headers are read.
 */
export interface GatewayHead {
  /** `PATH_INFO`, percent-decoded by the front server; `undefined` to decode it from `target`. */
  readonly pathInfo: string | undefined;
  /** `SCRIPT_NAME` as the front server set it; `''` when it set none. */
  readonly scriptName: string;
  /** `SERVER_NAME` as the front server set it; `''` when it set none or an invalid one. */
  readonly serverName: string;
  /** `SERVER_PORT` as the front server set it; `''` when it set none. */
  readonly serverPort: string;
  /** Whether `QUERY_STRING` was passed: `undefined` to take it from `target`. */
  readonly query: string | undefined;
  /** Other CGI variables (`DOCUMENT_ROOT`, `SERVER_ADDR`, …), `[A-Z0-9_]+` names only. */
  readonly extra: ReadonlyArray<readonly [string, string]>;
}
