/**
 * Request headers in any of the usual shapes: a plain object (an array value
 * sends the header once per item), `[name, value]` pairs, or WHATWG `Headers`.
 * `undefined` values are skipped.
 */
export type HeadersInput =
  | Record<string, string | number | readonly string[] | undefined>
  | ReadonlyArray<readonly [string, string]>
  | Headers;

/** A query string: a plain object (arrays repeat the key), `URLSearchParams`, or a raw string. */
export type QueryInput =
  | Record<string, string | number | boolean | ReadonlyArray<string | number | boolean> | undefined>
  | URLSearchParams
  | string;

/** Fields of an `application/x-www-form-urlencoded` body. */
export type FormInput = QueryInput;

/** A file part of a multipart body. */
export interface MultipartFile {
  /** The file's bytes (a string is sent as UTF-8). */
  data: Uint8Array | string | Blob;
  /** The `filename` sent in `Content-Disposition`; defaults to the `File` name, or `"blob"`. */
  filename?: string;
  /** The part's `Content-Type`; defaults to the Blob's type, or `application/octet-stream`. */
  contentType?: string;
}

/** One value of a multipart field: plain text, a `Blob`/`File`, or a {@link MultipartFile}. */
export type MultipartValue = string | number | boolean | Blob | MultipartFile;

/** Fields of a `multipart/form-data` body: `FormData`, or a plain object (arrays repeat the field). */
export type MultipartInput =
  | FormData
  | Record<string, MultipartValue | readonly MultipartValue[] | undefined>;

/** A raw request body: bytes, a string (sent as UTF-8), or a stream of byte chunks. */
export type BodyInput = Uint8Array | string | AsyncIterable<Uint8Array>;

/** Options of {@link createClient}. */
export interface ClientOptions {
  /**
   * In-process only: wrap the application in `validate()` from `@tsgi/spec`, so
   * every request also checks the app (and this client) against SPEC.md.
   * Default `true`.
   */
  validate?: boolean;
  /** Headers sent with every request; a request's own header of the same name replaces them. */
  headers?: HeadersInput;
  /** Keep a cookie jar for this client: store `Set-Cookie`, send matching cookies back. Default `true`. */
  cookies?: boolean;
  /**
   * Follow `3xx` responses that carry a `Location`: `true` follows up to 10,
   * a number sets the limit. Default `false` (the redirect itself is returned).
   */
  followRedirects?: boolean | number;
  /** In-process only: environ keys set on every request, after the client built the rest. */
  environ?: Record<string, unknown>;
  /**
   * In-process only: the URL the application pretends to be served at. Its scheme,
   * host and port fill `tsgi.url_scheme`, `Host`, `SERVER_NAME` and `SERVER_PORT`,
   * and its path becomes `SCRIPT_NAME`. Default `http://localhost`.
   */
  baseUrl?: string | URL;
  /** In-process only: also write what the app writes to `tsgi.errors` to `process.stderr`. Default `false`. */
  echoErrors?: boolean;
}

/** Options of one request. Give at most one of `json`, `form`, `multipart` and `body`. */
export interface RequestOptions {
  /** Added to the path's query string (after any `?…` already in the path). */
  query?: QueryInput;
  /** Request headers; they replace the client's default headers of the same name. */
  headers?: HeadersInput;
  /** A JSON body; sets `Content-Type: application/json` unless given. */
  json?: unknown;
  /** An urlencoded form body; sets `Content-Type: application/x-www-form-urlencoded` unless given. */
  form?: FormInput;
  /** A `multipart/form-data` body; sets `Content-Type` with its boundary. */
  multipart?: MultipartInput;
  /** A raw body. A string gets `Content-Type: text/plain; charset=utf-8` unless given. A stream is sent without `Content-Length` (chunked). */
  body?: BodyInput;
  /** In-process only: environ keys for this request (e.g. `REMOTE_ADDR`, `tsgi.url_scheme`); `undefined` deletes a key. */
  environ?: Record<string, unknown>;
  /**
   * Return as soon as the status and headers are known and stream the body through
   * `response.body`. You must then read the body to its end or call `response.close()`
   * (or `client.close()`), so the app's `close()` runs. Default `false`: the body is
   * read eagerly and closed before the response is returned.
   */
  stream?: boolean;
}

/** Options of `client.websocket()`. */
export interface WebSocketOptions {
  /** The subprotocols to offer (`Sec-WebSocket-Protocol`), in order of preference. */
  protocols?: string | readonly string[];
  /** Extra handshake headers (not the `Upgrade`, `Connection` or `Sec-WebSocket-*` fields, which the client writes). */
  headers?: HeadersInput;
  /** Added to the path's query string. */
  query?: QueryInput;
  /** In-process only: environ keys for the handshake request; `undefined` deletes a key. */
  environ?: Record<string, unknown>;
  /** The bound in ms of the handshake and, by default, of every `receive()`. Default 10 000. */
  timeout?: number;
}
