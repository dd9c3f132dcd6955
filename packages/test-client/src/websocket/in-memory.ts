import {
  closeProblem,
  HANDSHAKE_FIELDS,
  isWireCloseCode,
  MAX_CLOSE_REASON_BYTES,
  type WebSocketAcceptOptions,
  type WebSocketClose,
  type WebSocketConnection,
  type WebSocketMessage,
  type WebSocketUpgrade,
} from '@tsgi/spec';
import { MessageQueue } from './message-queue.js';
import type { WebSocketLink } from './test-websocket.js';

/**
 * How many messages each direction holds before `send()` waits for the reader:
 * enough that a test may send a batch before reading the echoes, as a socket's
 * buffers allow, and still a bound on an app that sends to a test that never reads.
 */
export const IN_PROCESS_CAPACITY = 1024;

function closedError(): Error {
  return new Error('the WebSocket is closed');
}

function copy(data: WebSocketMessage): WebSocketMessage {
  return typeof data === 'string' ? data : data.slice();
}

function checkMessage(data: unknown, who: string): void {
  if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
    throw new TypeError(`${who} send() takes a string or a Uint8Array, got ${typeof data}`);
  }
}

/**
 * Two queues linked back to back: what one side sends, the other iterates.
 * A close from either side ends both (messages already sent stay readable),
 * and both sides see the same code and reason. The test's `closed` also waits
 * for the app's call to finish, and rejects with its error if it failed.
 */
class LinkedSockets {
  readonly toApp = new MessageQueue(IN_PROCESS_CAPACITY);
  readonly toTest = new MessageQueue(IN_PROCESS_CAPACITY);
  readonly appClosed: Promise<WebSocketClose>;
  readonly testClosed: Promise<WebSocketClose>;
  #state: WebSocketClose | undefined;
  #resolveApp!: (close: WebSocketClose) => void;
  #connectionClosed: Promise<WebSocketClose>;
  #resolveConnection!: (close: WebSocketClose) => void;
  #appFinished: Promise<void>;
  #finishApp!: (failure?: { error: unknown }) => void;

  constructor() {
    this.appClosed = new Promise((resolve) => {
      this.#resolveApp = resolve;
    });
    this.#connectionClosed = new Promise((resolve) => {
      this.#resolveConnection = resolve;
    });
    this.#appFinished = new Promise<void>((resolve, reject) => {
      this.#finishApp = (failure) => (failure === undefined ? resolve() : reject(failure.error));
    });
    this.testClosed = this.#appFinished.then(() => this.#connectionClosed);
    // A test that never awaits `closed` must not turn an app error into an unhandled rejection.
    this.testClosed.catch(() => {});
  }

  close(code: number, reason: string): void {
    if (this.#state !== undefined) return;
    const state = { code, reason };
    this.#state = state;
    this.toApp.end(closedError);
    this.toTest.end(closedError);
    this.#resolveApp(state);
    this.#resolveConnection(state);
  }

  /** The app's call finished: returned its empty body, or failed with `error` after accepting. */
  appFinished(failure?: { error: unknown }): void {
    if (failure !== undefined) {
      // Like a server: close with 1011; the test's reads and `closed` throw the app's error.
      this.toTest.end(closedError, failure);
      this.close(1011, '');
    }
    this.#finishApp(failure);
  }

  get isClosed(): boolean {
    return this.#state !== undefined;
  }
}

/** The app's side of an in-memory WebSocket: a {@link WebSocketConnection} over linked queues. */
class InMemoryConnection implements WebSocketConnection {
  readonly protocol: string;
  readonly closed: Promise<WebSocketClose>;
  #pipe: LinkedSockets;

  constructor(pipe: LinkedSockets, protocol: string) {
    this.#pipe = pipe;
    this.protocol = protocol;
    this.closed = pipe.appClosed;
  }

  send(data: WebSocketMessage): Promise<void> {
    checkMessage(data, 'WebSocketConnection');
    return this.#pipe.toTest.push(copy(data), closedError);
  }

  async close(code = 1000, reason = ''): Promise<void> {
    const problem = closeProblem(code, reason);
    if (problem !== undefined) throw new RangeError(`WebSocketConnection.close(): ${problem}`);
    this.#pipe.close(code, reason);
    await this.closed;
  }

  [Symbol.asyncIterator](): AsyncIterator<WebSocketMessage> {
    const queue = this.#pipe.toApp;
    return { next: () => queue.take() };
  }
}

/** What the in-memory upgrade reports to the transport that made it. */
export interface UpgradeListener {
  /** The app accepted: the 101's subprotocol and extra headers, and the test's side of the link. */
  accepted(
    link: Omit<WebSocketLink, 'url' | 'headers'>,
    headers: ReadonlyArray<readonly [string, string]>,
  ): void;
}

/**
 * `environ['tsgi.websocket']` in process: checks `accept()` as a server would
 * (once, before any `startResponse`, a protocol the client offered, no
 * handshake fields among the extra headers) and links the app to the test.
 */
export class InMemoryUpgrade implements WebSocketUpgrade {
  readonly protocols: readonly string[];
  #listener: UpgradeListener;
  #state: 'pending' | 'accepted' | 'denied' = 'pending';
  #pipe: LinkedSockets | undefined;

  constructor(protocols: readonly string[], listener: UpgradeListener) {
    this.protocols = Object.freeze([...protocols]);
    this.#listener = listener;
  }

  /** Whether the app called `accept()`. */
  get accepted(): boolean {
    return this.#state === 'accepted';
  }

  accept(options: WebSocketAcceptOptions = {}): WebSocketConnection {
    if (this.#state === 'accepted') throw new Error('tsgi.websocket: accept() was called twice');
    if (this.#state === 'denied') {
      throw new Error('tsgi.websocket: accept() was called after startResponse denied the upgrade');
    }
    const protocol = options.protocol ?? '';
    if (protocol !== '' && !this.protocols.includes(protocol)) {
      throw new Error(
        `tsgi.websocket: accept({ protocol: ${JSON.stringify(protocol)} }) names a subprotocol the client did not offer (${JSON.stringify(this.protocols)})`,
      );
    }
    const headers = options.headers ?? [];
    for (const [name] of headers) {
      if (HANDSHAKE_FIELDS.has(String(name).toLowerCase())) {
        throw new Error(
          `tsgi.websocket: accept({ headers }) may not set ${name}: the server writes the handshake fields`,
        );
      }
    }
    this.#state = 'accepted';
    const pipe = new LinkedSockets();
    this.#pipe = pipe;
    this.#listener.accepted(
      {
        protocol,
        incoming: pipe.toTest,
        closed: pipe.testClosed,
        send(data) {
          return pipe.toApp.push(copy(data), closedError);
        },
        async close(code, reason) {
          if (!pipe.isClosed) {
            if (!isWireCloseCode(code))
              throw new RangeError(`test-client: close code ${code} is not one a client may send`);
            if (new TextEncoder().encode(reason).byteLength > MAX_CLOSE_REASON_BYTES)
              throw new RangeError(
                `test-client: the close reason is over ${MAX_CLOSE_REASON_BYTES} bytes`,
              );
            pipe.close(code, reason);
          }
          await pipe.testClosed;
        },
      },
      headers,
    );
    return new InMemoryConnection(pipe, protocol);
  }

  /** `startResponse` was called: an error after `accept()`, otherwise the upgrade is denied. */
  deny(): void {
    if (this.#state === 'accepted') {
      throw new Error(
        'the app called startResponse after accepting the WebSocket; an app that accepts never calls it',
      );
    }
    this.#state = 'denied';
  }

  /** The app's call finished after accepting; `failure` when it threw or broke a rule. */
  finished(failure?: { error: unknown }): void {
    this.#pipe?.appFinished(failure);
  }
}
