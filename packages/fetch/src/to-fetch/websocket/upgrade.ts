import {
  type Application,
  type Environ,
  type ErrorStream,
  HANDSHAKE_FIELDS,
  type HeaderList,
  type ResponseBody,
  type StartResponse,
  type WebSocketAcceptOptions,
  type WebSocketConnection,
  type WebSocketUpgrade,
} from '@tsgi/spec';
import { BodyReader } from '../body-reader.js';
import type { Exchange } from '../exchange.js';
import { describeError } from '../response-head.js';
import type { FetchWebSocket } from './connection.js';
import type { Switchable } from './runtime.js';

/** Where one upgrade request is. */
enum State {
  /** Neither accepted nor denied yet. */
  Open,
  /** `accept()` switched the request. */
  Accepted,
  /** `startResponse` was called: the response is the application's. */
  Denied,
  /** The application returned without either: the exchange answers (a 500, since no head). */
  Returned,
}

/**
 * One upgrade request on a fetch runtime: `environ['tsgi.websocket']`, and
 * the fetch handler's answer. `accept()` switches the request on its runtime
 * and the handler answers with the runtime's `101` (Deno) or `undefined`
 * (Bun); a `startResponse` first denies it, and the exchange answers with
 * the application's response as for any request. After `accept()` the
 * application returns an empty body; an error it throws then is reported
 * on `tsgi.errors` and closes the connection with 1011.
 */
export class Upgrade implements WebSocketUpgrade {
  readonly protocols: readonly string[];
  readonly startResponse: StartResponse;
  #switchable: Switchable;
  #exchange: Exchange;
  #errors: ErrorStream;
  #state = State.Open;
  #respond: ((response: Response | undefined) => void) | undefined;
  #connection: Promise<FetchWebSocket> | undefined;

  constructor(switchable: Switchable, exchange: Exchange, errors: ErrorStream) {
    this.#switchable = switchable;
    this.protocols = switchable.protocols;
    this.#exchange = exchange;
    this.#errors = errors;
    this.startResponse = (status, headers, excInfo) => {
      if (this.#state === State.Accepted) {
        throw new Error(
          'startResponse: the WebSocket upgrade was accepted; an accepting app never calls it',
        );
      }
      if (this.#state === State.Open) this.#state = State.Denied;
      return exchange.startResponse(status, headers, excInfo);
    };
  }

  /** Runs `app` on `environ` (which holds this upgrade) and resolves to the handler's answer. */
  run(app: Application, environ: Environ): Promise<Response | undefined> {
    const answer = new Promise<Response | undefined>((resolve) => {
      this.#respond = resolve;
    });
    this.#exchange.response().then(this.#respond);
    try {
      const body = app(environ, this.startResponse);
      if (body !== null && typeof (body as PromiseLike<unknown>).then === 'function') {
        (body as PromiseLike<ResponseBody>).then(
          (resolved) => this.#adopt(resolved),
          (error: unknown) => this.#fail(error),
        );
      } else {
        this.#adopt(body as ResponseBody);
      }
    } catch (error) {
      this.#fail(error);
    }
    return answer;
  }

  accept(options: WebSocketAcceptOptions = {}): Promise<WebSocketConnection> {
    if (this.#state === State.Accepted) throw new Error('accept: called twice');
    if (this.#state === State.Denied) {
      throw new Error('accept: startResponse was called, which denied the upgrade');
    }
    if (this.#state === State.Returned) {
      throw new Error('accept: the application already returned its body');
    }
    const protocol = options.protocol ?? '';
    if (protocol !== '' && !this.protocols.includes(protocol)) {
      throw new TypeError(
        `accept: protocol ${JSON.stringify(protocol)} is not one the client offered (${this.protocols.join(', ') || 'none'})`,
      );
    }
    const switched = this.#switchable.switch(protocol, acceptHeaders(options.headers));
    this.#state = State.Accepted;
    this.#connection = switched.connection;
    this.#respond?.(switched.response);
    return switched.connection;
  }

  #adopt(body: ResponseBody): void {
    if (this.#state !== State.Accepted) {
      if (this.#state === State.Open) this.#state = State.Returned;
      this.#exchange.adopt(body);
      return;
    }
    if (Array.isArray(body) && body.length === 0) return;
    void this.#drain(body);
  }

  /** Reads the body of an application that accepted: it must give no bytes [ws.7]. */
  async #drain(body: ResponseBody): Promise<void> {
    let reader: BodyReader;
    try {
      reader = new BodyReader(body, this.#errors);
    } catch (error) {
      this.#report(error);
      return;
    }
    try {
      for (let chunk = await reader.next(); chunk !== undefined; chunk = await reader.next()) {
        if (chunk.byteLength > 0) {
          this.#report(new Error('an application that accepted a WebSocket returns an empty body'));
          break;
        }
      }
    } catch (error) {
      this.#report(error);
    } finally {
      await reader.close();
    }
  }

  #fail(error: unknown): void {
    if (this.#state !== State.Accepted) {
      if (this.#state === State.Open) this.#state = State.Returned;
      this.#exchange.fail(error);
      return;
    }
    this.#report(error);
    void this.#connection?.then((connection) => connection.closeBy(1011, 'Internal Error'));
  }

  #report(error: unknown): void {
    const environ = this.#exchange.environ;
    this.#errors.write(`tsgi: WebSocket ${environ.REQUEST_URI}: ${describeError(error)}\n`);
  }
}

/**
 * The `101`'s extra fields from `accept({ headers })`: a TypeError names one
 * the server owns (`HANDSHAKE_FIELDS`) or one a `Headers` refuses.
 */
function acceptHeaders(list: HeaderList | undefined): Headers {
  const headers = new Headers();
  if (list === undefined) return headers;
  if (!Array.isArray(list)) throw new TypeError('accept: headers must be a list of [name, value]');
  for (const field of list) {
    const [name, value] = field;
    if (typeof name !== 'string' || typeof value !== 'string') {
      throw new TypeError('accept: each header is a [name, value] pair of strings');
    }
    if (HANDSHAKE_FIELDS.has(name.toLowerCase())) {
      throw new TypeError(
        `accept: ${name} is the server's to send in the 101, not the application's`,
      );
    }
    try {
      headers.append(name, value);
    } catch (error) {
      throw new TypeError(`accept: bad header ${JSON.stringify(name)}: ${String(error)}`);
    }
  }
  return headers;
}
