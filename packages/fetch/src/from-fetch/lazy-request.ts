import { type Environ, pathInfoUri, requestOrigin } from '@tsgi/spec';
import { standIn } from './delegate.js';
import { hasBody, inputStream } from './input-stream.js';
import { lazyHeaders, realHeaders } from './lazy-headers.js';

/** The real `Request` behind a lazy one, made on first need. */
const REAL = Symbol('real Request');

/**
 * A `Request` for a TSGI environ, made lazily: `method`, `url`, `headers`,
 * `signal` and a missing `body` come from the environ when asked for, and
 * `bytes()`, `arrayBuffer()`, `text()`, `json()` and `blob()` read
 * `tsgi.input` at once; a real `Request` is built only when something else
 * is touched (the `body` stream, `clone()`, `formData()`…), and every other
 * member is passed on to it. It is an
 * `instanceof Request` through its prototype chain; the global `Request` is
 * never replaced or changed.
 *
 * Its `signal` aborts when `abort()` is called: when the server closes the
 * response body before it ended (the client went away), never after a
 * normal response. A signal asked for after that is aborted already.
 */
export class LazyRequest {
  readonly #environ: Environ;
  readonly #strip: boolean;
  #url: string | undefined;
  #headers: Headers | undefined;
  #real: Request | undefined;
  #controller: AbortController | undefined;
  #gone = false;
  /** The body was read by one of the readers below, before any real `Request`. */
  #used = false;

  constructor(environ: Environ, stripScriptName: boolean) {
    this.#environ = environ;
    this.#strip = stripScriptName;
  }

  get method(): string {
    return this.#environ.REQUEST_METHOD;
  }

  /** The request's URL: the raw `REQUEST_URI` on the request's origin, or `PATH_INFO` alone when stripping the mount. */
  get url(): string {
    let url = this.#url;
    if (url === undefined) {
      const environ = this.#environ;
      if (this.#strip) {
        url = pathInfoUri(environ);
      } else {
        const target = environ.REQUEST_URI;
        url = requestOrigin(environ) + (target.charCodeAt(0) === 47 /* / */ ? target : '/');
      }
      this.#url = url;
    }
    return url;
  }

  get headers(): Headers {
    const real = this.#real;
    if (real !== undefined) return real.headers;
    this.#headers ??= lazyHeaders(this.#environ);
    return this.#headers;
  }

  /** Aborts only when the client goes away; made on first use, without a real `Request`. */
  get signal(): AbortSignal {
    return this.#abortController().signal;
  }

  /** `null` for a request without a body, without making the real `Request`. */
  get body(): ReadableStream<Uint8Array> | null {
    if (this.#real === undefined && !hasBody(this.#environ)) return null;
    return this[REAL]().body;
  }

  get bodyUsed(): boolean {
    return this.#real === undefined ? this.#used : this.#real.bodyUsed;
  }

  /**
   * The body's bytes, read at once from `tsgi.input` without a stream or a
   * real `Request` (the readers below share it). Rejects with a TypeError when
   * the body was read already, and with the server's `RequestBodyError` when
   * the body breaks its limit or is cut short.
   */
  async bytes(): Promise<Uint8Array> {
    const real = this.#real;
    if (real !== undefined) return new Uint8Array(await real.arrayBuffer());
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    const environ = this.#environ;
    if (!hasBody(environ) || FORBIDDEN_METHODS.has(this.method.toUpperCase())) return EMPTY;
    return environ['tsgi.input'].read();
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.bytes();
    return bytes.slice().buffer as ArrayBuffer;
  }

  /** The body as UTF-8 text, as `Request#text()` decodes it. */
  async text(): Promise<string> {
    return decoder.decode(await this.bytes());
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async blob(): Promise<Blob> {
    const bytes = await this.bytes();
    return new Blob([bytes as Uint8Array<ArrayBuffer>], {
      type: this.headers.get('content-type') ?? '',
    });
  }

  clone(): Request {
    if (this.bodyUsed) throw new TypeError('Request.clone: Body has already been consumed');
    return this[REAL]().clone();
  }

  /** Aborts the signal: the client went away. Safe before and after the signal exists. */
  abort(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#controller?.abort(goneReason());
  }

  /** The real `Request`, built once. */
  [REAL](): Request {
    let real = this.#real;
    if (real === undefined) {
      const method = this.method;
      // fetch refuses CONNECT, TRACE and TRACK: the real one says GET, without a body;
      // `method` stays true.
      const forbidden = FORBIDDEN_METHODS.has(method.toUpperCase());
      const body = forbidden || this.#used ? null : inputStream(this.#environ);
      real = new Request(this.url, {
        method: forbidden ? 'GET' : method,
        headers: realHeaders(this.headers),
        body,
        signal: this.#abortController().signal,
        // Node wants it for a stream body; other runtimes ignore it.
        duplex: body === null ? undefined : 'half',
      } as RequestInit);
      this.#real = real;
    }
    return real;
  }

  #abortController(): AbortController {
    let controller = this.#controller;
    if (controller === undefined) {
      controller = new AbortController();
      if (this.#gone) controller.abort(goneReason());
      this.#controller = controller;
    }
    return controller;
  }
}

const EMPTY = new Uint8Array(0);
const decoder = new TextDecoder();

/** The methods the fetch standard refuses in a `Request`. */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** The reason an aborted request's signal gives. */
function goneReason(): DOMException {
  return new DOMException('the client went away', 'AbortError');
}

// Every other member (`cache`, `credentials`, `formData()`…) is the real Request's.
standIn(LazyRequest, Request, (request) => request[REAL]());
