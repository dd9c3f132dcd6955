/**
 * The one thing the app runner writes a response to. A `node:http`
 * `ServerResponse` is one as it is; the uwsgi listener provides its own that
 * frames HTTP/1.1 onto a raw socket.
 *
 * Contract for an implementation:
 * - `writeHead` stores the status line and headers; they go on the wire with
 *   the first `write`/`end` (the runner calls it at most once on success, and
 *   again only if it threw). Headers come as a flat `[name, value, name, value]`
 *   list, already checked by the runner (token names, no CR/LF in values);
 *   repeated names stay separate lines.
 * - The sink owns the framing: with a `Content-Length` header it sends the
 *   bytes as they come; without one it uses chunked encoding on HTTP/1.1 and
 *   closes the connection after the body on HTTP/1.0. The runner never writes
 *   a body for HEAD, 204 or 304 and polices `Content-Length` itself.
 * - `write` returns false when the caller should wait for `'drain'`.
 * - `'close'` is emitted once when the connection is done; `writableFinished`
 *   false at that moment means the client went away before the response ended.
 * - `destroy()` aborts the connection at once (the client sees an incomplete response).
 * - `shouldKeepAlive`, when present, is set to false before `writeHead` when the
 *   connection must not be reused (unread oversized body, server shutting down).
 */
export interface ResponseSink {
  writeHead(statusCode: number, statusMessage: string, headers: string[]): unknown;
  write(chunk: Uint8Array): boolean;
  end(chunk?: Uint8Array): unknown;
  destroy(error?: Error): unknown;
  on(event: 'drain' | 'close', listener: () => void): unknown;
  readonly writableFinished: boolean;
  readonly destroyed: boolean;
  shouldKeepAlive?: boolean;
  cork?(): void;
  uncork?(): void;
}
