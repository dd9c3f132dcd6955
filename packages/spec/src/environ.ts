import type { WebSocketUpgrade } from './websocket/types.js';
/**
 * The request body as the server hands it to the application: `environ['tsgi.input']`.
 *
 * Bytes come lazily from the client. `read()` never goes past `CONTENT_LENGTH`
 * and resolves to an empty array at the end of the input. See SPEC.md, "The input stream".
 */
export interface InputStream extends AsyncIterable<Uint8Array> {
  /**
   * Reads the next bytes of the body.
   *
   * With `size`, resolves to between 1 and `size` bytes, or to an empty array at the
   * end of the input. Without `size`, resolves to all the bytes that remain.
   * Rejects with a `RequestBodyError` when the body breaks a server limit.
   */
  read(size?: number): Promise<Uint8Array>;
}

/**
 * Where the application writes diagnostics: `environ['tsgi.errors']`.
 * The server decides where the text goes (stderr, a log file, a test buffer).
 */
export interface ErrorStream {
  /** Writes a message as is; add your own trailing newline. */
  write(message: string): void;
  /** Pushes buffered text to its destination, when the stream buffers at all. */
  flush(): void;
}

/**
 * The request as a plain object of CGI variables plus `tsgi.*` keys.
 *
 * The CGI names are the ones Nginx's `uwsgi_params` sends, on purpose, so a
 * uwsgi listener can use what Nginx sends with few changes. See SPEC.md, "environ".
 */
export interface Environ {
  /** The request method, case-sensitive, e.g. `"GET"`. */
  REQUEST_METHOD: string;
  /** Where the application is mounted: `""` or a path starting, and not ending, with `/`. */
  SCRIPT_NAME: string;
  /** The rest of the path, percent-decoded as UTF-8: `""` or a path starting with `/`. */
  PATH_INFO: string;
  /** The raw query string without the `?`, possibly empty. */
  QUERY_STRING: string;
  /** The request's `Content-Type`, absent when the request has none. */
  CONTENT_TYPE?: string;
  /** The request's `Content-Length` as decimal digits, absent when the request has none. */
  CONTENT_LENGTH?: string;
  /** The host name the request was addressed to (from `Host`, or the listener). */
  SERVER_NAME: string;
  /** The port as a string, e.g. `"8002"`. */
  SERVER_PORT: string;
  /** The protocol of the request, e.g. `"HTTP/1.1"`. */
  SERVER_PROTOCOL: string;
  /** The client's address, `""` when the peer has none (a Unix socket). */
  REMOTE_ADDR: string;
  /** The client's port as a string, `""` when the peer has none. */
  REMOTE_PORT: string;
  /** The raw request target as the client sent it: path and query, not decoded. */
  REQUEST_URI: string;
  /** The `Host` header, when the request has one. */
  HTTP_HOST?: string;
  /** Every other request header, as `HTTP_` plus its name upper-cased with `-` as `_`. */
  [header: `HTTP_${string}`]: string | undefined;

  /** The TSGI version, `[1, 0]`. */
  'tsgi.version': readonly [number, number];
  /** `"http"` or `"https"`: the scheme the client used. */
  'tsgi.url_scheme': string;
  /** The request body. */
  'tsgi.input': InputStream;
  /** The diagnostics stream. */
  'tsgi.errors': ErrorStream;
  /** Whether another request may run concurrently in this same process (always true on Node's event loop). */
  'tsgi.multithread': boolean;
  /** Whether other processes run the same application (workers). */
  'tsgi.multiprocess': boolean;
  /** Whether this process will serve only this one request (CGI-like). */
  'tsgi.run_once': boolean;

  /** Registered extension: the WebSocket upgrade, present only on a valid RFC 6455 upgrade request. */
  'tsgi.websocket'?: WebSocketUpgrade;

  /** Extension keys: a dotted name, e.g. `tsgi.route` or `myserver.socket`. */
  [key: string]: unknown;
}
