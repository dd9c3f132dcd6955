import type { WebSocketClose, WebSocketMessage } from '@tsgi/spec';
import type { MessageQueue } from './message-queue.js';

const decoder = new TextDecoder();

/** What a transport hands to {@link TestWebSocket}: one open connection, in process or over HTTP. */
export interface WebSocketLink {
  /** The `ws:` or `wss:` URL that was opened. */
  readonly url: string;
  /** The subprotocol the app chose, `''` when none. */
  readonly protocol: string;
  /** The headers of the `101 Switching Protocols` response. */
  readonly headers: Headers;
  /** The messages from the app, in order. */
  readonly incoming: MessageQueue;
  /** Resolves when the connection is closed; rejects (in process) with an error the app threw after accepting. */
  readonly closed: Promise<WebSocketClose>;
  /** Sends one message to the app. */
  send(data: WebSocketMessage): Promise<void>;
  /** Closes with this code and reason; resolves when the connection is closed. */
  close(code: number, reason: string): Promise<void>;
}

/** Options of {@link TestWebSocket.receive}. */
export interface ReceiveOptions {
  /** How long to wait for the message, in ms; defaults to the socket's `timeout`. */
  timeout?: number;
}

/** Describes a message for an error: its text, or its size in bytes. */
function describe(message: WebSocketMessage): string {
  if (typeof message === 'string')
    return `the text message ${JSON.stringify(message.length > 80 ? `${message.slice(0, 80)}…` : message)}`;
  return `a binary message of ${message.byteLength} bytes`;
}

/**
 * A WebSocket opened by `client.websocket()`, the same in both modes: an
 * `AsyncIterable` of the app's messages (text as `string`, binary as
 * `Uint8Array`) that ends when the connection closes, `send()`, `close()`,
 * `closed`, and `receive()` for the next message with a bounded wait.
 *
 * @example
 * const socket = await client.websocket('/echo');
 * await socket.send('hello');
 * expect(await socket.receive()).toBe('hello');
 * await socket.close(1000, 'done');
 */
export class TestWebSocket implements AsyncIterable<WebSocketMessage> {
  /** The `ws:` or `wss:` URL that was opened. */
  readonly url: string;
  /** The subprotocol the app chose (`Sec-WebSocket-Protocol` of the 101), `''` when none. */
  readonly protocol: string;
  /** The headers of the `101 Switching Protocols` response, the handshake's and the app's. */
  readonly headers: Headers;
  /**
   * Resolves once, when the connection is closed, with the close code and
   * reason. In process, it rejects instead with the error the app threw (or the
   * rule it broke) after accepting, so the failure points at the bug.
   */
  readonly closed: Promise<WebSocketClose>;
  /** The default bound of {@link TestWebSocket.receive}, in ms. */
  readonly timeout: number;
  #link: WebSocketLink;

  /** Made by `client.websocket()`. */
  constructor(link: WebSocketLink, timeout: number) {
    this.#link = link;
    this.url = link.url;
    this.protocol = link.protocol;
    this.headers = link.headers;
    this.closed = link.closed;
    this.timeout = timeout;
  }

  /** Sends a message: a `string` as text, a `Uint8Array` as binary. Resolves when the other side has taken it. */
  send(data: WebSocketMessage): Promise<void> {
    if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
      return Promise.reject(
        new TypeError(`test-client: send() takes a string or a Uint8Array, got ${typeof data}`),
      );
    }
    return this.#link.send(data);
  }

  /**
   * Closes the connection with `code` (default 1000) and `reason` (default
   * `''`); resolves when it is closed. The app's iteration then ends and its
   * `closed` resolves with this code and reason. Closing twice does nothing more.
   */
  async close(code = 1000, reason = ''): Promise<void> {
    await this.#link.close(code, reason);
  }

  /**
   * The next message from the app. Rejects when none comes within the bound
   * (the socket's `timeout`, or `options.timeout`), or when the connection
   * closes first, naming the close code and reason.
   */
  async receive(options: ReceiveOptions = {}): Promise<WebSocketMessage> {
    const timeout = options.timeout ?? this.timeout;
    const incoming = this.#link.incoming;
    const next = await incoming.take(
      timeout,
      () =>
        new Error(
          `test-client: no WebSocket message from ${this.url} within ${timeout} ms (${incoming.taken} received before)`,
        ),
    );
    if (!next.done) return next.value;
    const { code, reason } = await this.#link.closed;
    throw new Error(
      `test-client: the WebSocket ${this.url} closed (${code}${reason === '' ? '' : ` ${JSON.stringify(reason)}`}) before another message came (${incoming.taken} received before)`,
    );
  }

  /** The next message, which must be text (see {@link TestWebSocket.receive}). */
  async receiveText(options?: ReceiveOptions): Promise<string> {
    const message = await this.receive(options);
    if (typeof message === 'string') return message;
    throw new Error(
      `test-client: expected a text message from ${this.url}, got ${describe(message)}`,
    );
  }

  /** The next message, which must be binary (see {@link TestWebSocket.receive}). */
  async receiveBytes(options?: ReceiveOptions): Promise<Uint8Array> {
    const message = await this.receive(options);
    if (message instanceof Uint8Array) return message;
    throw new Error(
      `test-client: expected a binary message from ${this.url}, got ${describe(message)}`,
    );
  }

  /** The next message, a text message holding JSON, parsed (see {@link TestWebSocket.receive}). */
  async receiveJson<T = unknown>(options?: ReceiveOptions): Promise<T> {
    const message = await this.receive(options);
    const text = typeof message === 'string' ? message : decoder.decode(message);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new Error(
        `test-client: expected a JSON message from ${this.url}, got ${describe(message)}`,
      );
    }
  }

  /** Every message from the app until the connection closes (no time bound: the close ends it). */
  async *[Symbol.asyncIterator](): AsyncGenerator<WebSocketMessage, void, undefined> {
    for (;;) {
      const next = await this.#link.incoming.take();
      if (next.done) return;
      yield next.value;
    }
  }
}
