import type { Environ } from './environ.js';
import type { HeaderList } from './header-list.js';

export type { HeaderList } from './header-list.js';

/**
 * The legacy imperative body writer that `startResponse` returns, kept for
 * PEP 3333 parity. New code returns an (async) iterable instead.
 *
 * The promise resolves once the chunk is handed to the connection, so an async
 * caller can honour backpressure by awaiting it; it never rejects.
 */
export type Write = (chunk: Uint8Array) => Promise<void>;

/**
 * Begins the response: `status` is `"NNN Reason phrase"`, `headers` the
 * response headers. Called once, or again with `excInfo` before the headers
 * are sent, to replace them with an error response. See SPEC.md, "startResponse".
 */
export type StartResponse = (status: string, headers: HeaderList, excInfo?: unknown) => Write;

/**
 * The response body: an iterable or async iterable of byte chunks, never strings.
 * When it has `close()`, the server calls it exactly once, whatever happens.
 */
export type ResponseBody = (Iterable<Uint8Array> | AsyncIterable<Uint8Array>) & {
  close?(): void | Promise<void>;
};

/**
 * A TSGI application: called once per request with the environ and
 * `startResponse`, returns the body (or a promise of it).
 */
export type Application = (
  environ: Environ,
  startResponse: StartResponse,
) => ResponseBody | Promise<ResponseBody>;

/**
 * A middleware wraps an application and returns an application. Middleware
 * that take options are written `(app, options) => Application`.
 */
export type Middleware = (app: Application) => Application;
