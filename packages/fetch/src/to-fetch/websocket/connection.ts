import {
  closeProblem,
  type WebSocketClose,
  type WebSocketConnection,
  type WebSocketMessage,
} from '@tsgi/spec';

/** What a runtime's socket did with one message handed to it. */
export enum SendStatus {
  /** Taken, and the socket can take more. */
  Sent,
  /** Taken, but the socket's buffer is full: wait for {@link FetchWebSocket.drained}. */
  Pressure,
  /** Not taken (Bun's `backpressureLimit`). */
  Dropped,
}

/** The runtime's socket as {@link FetchWebSocket} drives it: Bun's `ServerWebSocket` or Deno's `WebSocket`. */
export interface SocketTransport {
  /** True while messages may be sent (the socket is open, no close started). */
  readonly open: boolean;
  send(data: WebSocketMessage): SendStatus;
  close(code: number, reason: string): void;
}

/**
 * Unread bytes held for an application that does not iterate. Neither Bun
 * nor Deno can stop reading one WebSocket, so past this the connection is
 * closed with 1008 rather than growing memory without bound.
 */
export const QUEUE_LIMIT = 16 * 1024 * 1024;

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
const encoder = new TextEncoder();

/** The size of a message as it came: UTF-8 bytes of a text, bytes of a binary. */
function messageBytes(message: WebSocketMessage): number {
  return typeof message === 'string' ? encoder.encode(message).byteLength : message.byteLength;
}

/** A `send()` that waits for the socket to drain. */
interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

/**
 * One accepted WebSocket on a fetch runtime, as the `WebSocketConnection` of
 * SPEC.md. The runtime's adapter feeds it events (`receive`, `drained`,
 * `ended`); messages wait in a queue until the application iterates. A
 * `send()` resolves when the socket took the message and has room for more:
 * at once, or at the next `drained()` when the socket reported backpressure.
 */
export class FetchWebSocket implements WebSocketConnection, AsyncIterator<WebSocketMessage> {
  readonly protocol: string;
  readonly closed: Promise<WebSocketClose>;
  #transport: SocketTransport;
  #queue: WebSocketMessage[] = [];
  #queuedBytes = 0;
  #ended = false;
  #waiting: ((result: IteratorResult<WebSocketMessage>) => void) | undefined;
  #drainWaiters: Waiter[] = [];
  #settle!: (close: WebSocketClose) => void;

  constructor(transport: SocketTransport, protocol: string) {
    this.#transport = transport;
    this.protocol = protocol;
    this.closed = new Promise((resolve) => {
      this.#settle = resolve;
    });
  }

  /** A whole message from the peer. */
  receive(message: WebSocketMessage): void {
    if (this.#ended) return;
    const waiting = this.#waiting;
    if (waiting !== undefined) {
      this.#waiting = undefined;
      waiting({ done: false, value: message });
      return;
    }
    this.#queue.push(message);
    this.#queuedBytes += messageBytes(message);
    if (this.#queuedBytes > QUEUE_LIMIT && this.#transport.open) {
      this.#transport.close(1008, 'the application is not reading');
    }
  }

  /** The socket's buffer has room again: every `send()` waiting for it resolves. */
  drained(): void {
    const waiters = this.#drainWaiters;
    if (waiters.length === 0) return;
    this.#drainWaiters = [];
    for (const waiter of waiters) waiter.resolve();
  }

  /** The connection is closed, with the code and reason of the close. */
  ended(code: number, reason: string): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#settle({ code, reason });
    const waiting = this.#waiting;
    if (waiting !== undefined) {
      this.#waiting = undefined;
      waiting(DONE);
    }
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const waiter of waiters)
      waiter.reject(new Error('the WebSocket closed before it drained'));
  }

  /** The next message; done once the connection closed and the queue is empty. */
  next(): Promise<IteratorResult<WebSocketMessage>> {
    const message = this.#queue.shift();
    if (message !== undefined) {
      this.#queuedBytes -= messageBytes(message);
      return Promise.resolve({ done: false, value: message });
    }
    if (this.#ended) return Promise.resolve(DONE);
    if (this.#waiting !== undefined)
      return Promise.reject(new Error('a WebSocket is read by one loop at a time'));
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  /** Leaving a `for await` loop ends that loop only: the connection stays open until closed. */
  return(): Promise<IteratorResult<WebSocketMessage>> {
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): AsyncIterator<WebSocketMessage> {
    return this;
  }

  send(data: WebSocketMessage): Promise<void> {
    if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
      return Promise.reject(
        new TypeError(`WebSocket messages are strings or Uint8Array, got ${describe(data)}`),
      );
    }
    if (this.#ended || !this.#transport.open) {
      return Promise.reject(new Error('send: the WebSocket is closing or closed'));
    }
    const status = this.#transport.send(data);
    if (status === SendStatus.Sent) return Promise.resolve();
    if (status === SendStatus.Dropped) {
      return Promise.reject(
        new Error("send: the runtime dropped the message (over Bun's backpressureLimit)"),
      );
    }
    return new Promise((resolve, reject) => {
      this.#drainWaiters.push({ resolve, reject });
    });
  }

  close(code = 1000, reason = ''): Promise<void> {
    const problem = closeProblem(code, reason);
    if (problem !== undefined) return Promise.reject(new TypeError(problem));
    if (this.#transport.open) this.#transport.close(code, reason);
    return this.closed.then(() => undefined);
  }

  /** Closes from the bridge's side (1011 after an application error); nothing if already closing. */
  closeBy(code: number, reason: string): void {
    if (!this.#ended && this.#transport.open) this.#transport.close(code, reason);
  }
}

/** Names what a bad `send()` argument is. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}
