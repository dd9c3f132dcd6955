import type { Application } from '@tsgi/spec';
import { CookieJar } from './cookie-jar.js';
import { ErrorLog } from './error-log.js';
import { inProcessTransport } from './in-process.js';
import type { ClientOptions, RequestOptions, WebSocketOptions } from './options.js';
import type { OpenStreams, OutgoingRequest, Transport } from './outgoing-request.js';
import { httpTransport } from './over-http.js';
import { followRedirects, REDIRECTS, redirectLimit } from './redirects.js';
import { type EncodedBody, encodeBody } from './request-body.js';
import {
  checkHeaders,
  getHeader,
  type HeaderPairs,
  hasHeader,
  mergeHeaders,
  toHeaderPairs,
} from './request-headers.js';
import { decodePath, type Origin, parseBase, resolveTarget } from './request-target.js';
import type { TestResponse } from './response.js';
import { withValidation } from './validation.js';
import { WebSocketDenied } from './websocket/denied.js';
import { inProcessWebSocket } from './websocket/in-process.js';
import { httpWebSocket } from './websocket/over-http.js';
import { addCookie, checkHandshakeHeaders, type WebSocketTransport } from './websocket/request.js';
import type { TestWebSocket } from './websocket/test-websocket.js';

const NO_OPTIONS: RequestOptions = {};
const NO_WEBSOCKET_OPTIONS: WebSocketOptions = {};
/** The default bound of a WebSocket handshake and of `receive()`, in ms. */
const WEBSOCKET_TIMEOUT = 10_000;
// fetch upper-cases these six (and only these), so both modes send the same method.
const NORMALISED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

/**
 * One client for in-process tests and live servers. Create it with
 * {@link createClient}; every method resolves to a {@link TestResponse}.
 */
export class TestClient {
  /** `"in-process"` when calling an Application directly, `"http"` for a base URL. */
  readonly mode: 'in-process' | 'http';
  /** This client's cookie jar, or `undefined` with `{ cookies: false }`. */
  readonly cookies: CookieJar | undefined;
  #transport: Transport;
  #websocket: WebSocketTransport;
  #sockets = new Set<TestWebSocket>();
  #base: { origin: Origin; prefix: string };
  #headers: HeaderPairs;
  #environ: Record<string, unknown> | undefined;
  #redirectLimit: number;
  #log: ErrorLog;
  #open: OpenStreams = new Set();

  /** Use {@link createClient}. */
  constructor(target: Application | string | URL, options: ClientOptions = {}) {
    this.#log = new ErrorLog(options.echoErrors === true);
    if (typeof target === 'function') {
      this.mode = 'in-process';
      this.#base = parseBase(options.baseUrl ?? 'http://localhost');
      const app = options.validate === false ? target : withValidation(target);
      // The URL's path is percent-encoded; SCRIPT_NAME, like PATH_INFO, is decoded.
      const scriptName = decodePath(this.#base.prefix);
      this.#transport = inProcessTransport(app, { scriptName, log: this.#log, open: this.#open });
      this.#websocket = inProcessWebSocket(app, { scriptName, log: this.#log });
      this.#environ = options.environ;
    } else if (typeof target === 'string' || target instanceof URL) {
      this.mode = 'http';
      if (options.environ !== undefined || options.baseUrl !== undefined) {
        throw new TypeError(
          'test-client: environ and baseUrl apply only in-process; over HTTP the server builds the environ',
        );
      }
      this.#base = parseBase(target);
      this.#transport = httpTransport(this.#open);
      this.#websocket = httpWebSocket();
    } else {
      throw new TypeError(
        `test-client: createClient() takes a TSGI application (a function) or a base URL, got ${target === null ? 'null' : typeof target}`,
      );
    }
    this.#headers = toHeaderPairs(options.headers);
    checkHeaders(this.#headers);
    this.#redirectLimit = redirectLimit(options.followRedirects);
    this.cookies = options.cookies === false ? undefined : new CookieJar(this.#base.origin);
  }

  /** Everything apps wrote to `tsgi.errors` through this client (in-process). */
  get errors(): string {
    return this.#log.text;
  }

  /** Forgets the text in {@link TestClient.errors}. */
  clearErrors(): void {
    this.#log.clear();
  }

  /** `GET path`. */
  get(path: string, init?: RequestOptions): Promise<TestResponse> {
    return this.request('GET', path, init);
  }

  /** `POST path`. */
  post(path: string, init?: RequestOptions): Promise<TestResponse> {
    return this.request('POST', path, init);
  }

  /** `PUT path`. */
  put(path: string, init?: RequestOptions): Promise<TestResponse> {
    return this.request('PUT', path, init);
  }

  /** `PATCH path`. */
  patch(path: string, init?: RequestOptions): Promise<TestResponse> {
    return this.request('PATCH', path, init);
  }

  /** `DELETE path`. */
  delete(path: string, init?: RequestOptions): Promise<TestResponse> {
    return this.request('DELETE', path, init);
  }

  /** `HEAD path`: the body is dropped, as a server would. */
  head(path: string, init?: RequestOptions): Promise<TestResponse> {
    return this.request('HEAD', path, init);
  }

  /** `OPTIONS path`; in-process, `client.options('*')` sends the asterisk-form `OPTIONS *`. */
  options(path: string, init?: RequestOptions): Promise<TestResponse> {
    return this.request('OPTIONS', path, init);
  }

  /**
   * Any method (`delete`, `get`, `head`, `options`, `post` and `put` are upper-cased,
   * as `fetch` does; others are sent as given). `path` starts with `/` (it is resolved under the base URL's path)
   * or is an absolute `http(s)://` URL.
   */
  request(method: string, path: string, init: RequestOptions = NO_OPTIONS): Promise<TestResponse> {
    const upper = method.toUpperCase();
    if (upper !== method && NORMALISED_METHODS.has(upper)) method = upper;
    let encoded: EncodedBody | Promise<EncodedBody>;
    try {
      encoded = encodeBody(init);
    } catch (error) {
      return Promise.reject(error);
    }
    if (encoded instanceof Promise) return encoded.then((e) => this.#start(method, path, init, e));
    return this.#start(method, path, init, encoded);
  }

  /**
   * Opens a WebSocket to `path` (resolved like a request path, `ws:` for an
   * `http:` base and `wss:` for `https:`). Resolves when the app accepts;
   * rejects with {@link WebSocketDenied} when it answers with `startResponse`
   * instead, carrying that response. In-process, the app runs through
   * `validate()` with an in-memory `tsgi.websocket`; over HTTP, the `ws`
   * client talks to the live server. The client's headers and cookies go with
   * the handshake.
   */
  async websocket(
    path: string,
    init: WebSocketOptions = NO_WEBSOCKET_OPTIONS,
  ): Promise<TestWebSocket> {
    const location = resolveTarget(this.#base, path, init.query);
    if (location.target === '*')
      throw new TypeError('test-client: a WebSocket needs a path, not "*"');
    const own = toHeaderPairs(init.headers);
    if (own.length > 0) checkHeaders(own);
    const headers = mergeHeaders(this.#headers, own);
    checkHandshakeHeaders(headers);
    if (init.environ !== undefined && this.mode === 'http') {
      throw new TypeError('test-client: environ overrides apply only in-process');
    }
    const environ =
      init.environ === undefined
        ? this.#environ
        : this.#environ === undefined
          ? init.environ
          : { ...this.#environ, ...init.environ };
    const jar = this.cookies;
    const cookie = jar?.header(location.origin, location.target);
    if (cookie !== undefined) addCookie(headers, cookie);
    const protocols = init.protocols === undefined ? [] : [init.protocols].flat();
    let socket: TestWebSocket;
    try {
      socket = await this.#websocket({
        location,
        headers,
        protocols,
        environ,
        timeout: init.timeout ?? WEBSOCKET_TIMEOUT,
      });
    } catch (error) {
      if (error instanceof WebSocketDenied) {
        jar?.store(location.origin, location.target, error.response.headers.getSetCookie());
      }
      throw error;
    }
    jar?.store(location.origin, location.target, socket.headers.getSetCookie());
    this.#sockets.add(socket);
    const forget = () => this.#sockets.delete(socket);
    socket.closed.then(forget, forget);
    return socket;
  }

  /**
   * Closes every streamed response body not yet read to its end, so the apps'
   * `close()` run, and every WebSocket still open (code 1001, going away).
   */
  async close(): Promise<void> {
    const open = [...this.#open];
    const sockets = [...this.#sockets];
    await Promise.all([
      ...open.map((stream) => stream.close()),
      ...sockets.map((socket) => socket.close(1001)),
    ]);
  }

  async #start(
    method: string,
    path: string,
    init: RequestOptions,
    encoded: EncodedBody,
  ): Promise<TestResponse> {
    const location = resolveTarget(this.#base, path, init.query);
    if (location.target === '*' && (this.mode === 'http' || method !== 'OPTIONS')) {
      throw new TypeError(
        `test-client: the "*" target is only for OPTIONS, in-process (fetch cannot send it)`,
      );
    }
    const own = toHeaderPairs(init.headers);
    if (own.length > 0) checkHeaders(own);
    const headers = mergeHeaders(this.#headers, own);
    const { body, contentType } = encoded;
    if (contentType !== undefined && !hasHeader(headers, 'content-type')) {
      headers.push(['content-type', contentType]);
    }
    if (body instanceof Uint8Array) {
      const declared = getHeader(headers, 'content-length');
      if (declared !== undefined && declared !== String(body.byteLength)) {
        throw new TypeError(
          `test-client: the request says Content-Length: ${declared} but its body has ${body.byteLength} bytes`,
        );
      }
    }
    let environ = this.#environ;
    if (init.environ !== undefined) {
      if (this.mode === 'http') {
        throw new TypeError('test-client: environ overrides apply only in-process');
      }
      environ = environ === undefined ? init.environ : { ...environ, ...init.environ };
    }
    const request: OutgoingRequest = {
      method,
      location,
      headers,
      body,
      environ,
      stream: init.stream === true,
    };
    const response = await this.#exchange(request);
    if (this.#redirectLimit === 0 || !REDIRECTS.has(response.status)) return response;
    return followRedirects(request, response, {
      limit: this.#redirectLimit,
      inProcess: this.mode === 'in-process' ? this.#base.origin : undefined,
      exchange: (next) => this.#exchange(next),
    });
  }

  /** One request and its response, with the cookie jar on both sides. */
  async #exchange(request: OutgoingRequest): Promise<TestResponse> {
    const jar = this.cookies;
    if (jar === undefined) return this.#transport(request);
    const { origin, target } = request.location;
    const cookie = jar.header(origin, target);
    let sent = request;
    if (cookie !== undefined) {
      const headers: HeaderPairs = [];
      let merged = false;
      for (const [name, value] of request.headers) {
        if (!merged && name.toLowerCase() === 'cookie') {
          headers.push([name, `${value}; ${cookie}`]);
          merged = true;
        } else {
          headers.push([name, value]);
        }
      }
      if (!merged) headers.push(['cookie', cookie]);
      sent = { ...request, headers };
    }
    const response = await this.#transport(sent);
    let setCookies: string[] | undefined;
    for (const [name, value] of response.headerList) {
      if (name.length === 10 && name.toLowerCase() === 'set-cookie') {
        if (setCookies === undefined) setCookies = [value];
        else setCookies.push(value);
      }
    }
    if (setCookies !== undefined) jar.store(origin, target, setCookies);
    return response;
  }
}

/**
 * Creates a test client.
 *
 * - `target` a TSGI {@link Application}: requests call it in-process (no socket),
 *   wrapped in `validate()` unless `{ validate: false }`.
 * - `target` a base URL (`"http://127.0.0.1:3000"`): requests go over HTTP with `fetch`.
 *
 * @example
 * const client = createClient(app);
 * const response = await client.get('/health');
 * expect(response.status).toBe(200);
 * expect(await response.json()).toEqual({ status: 'ok' });
 */
export function createClient(
  target: Application | string | URL,
  options?: ClientOptions,
): TestClient {
  return new TestClient(target, options);
}
