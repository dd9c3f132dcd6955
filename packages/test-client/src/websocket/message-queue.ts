import type { WebSocketMessage } from '@tsgi/spec';

/** A reader waiting for the next message. */
interface Reader {
  resolve(result: IteratorResult<WebSocketMessage, undefined>): void;
  reject(error: unknown): void;
}

/** A writer waiting for room in a full queue. */
interface Writer {
  message: WebSocketMessage;
  resolve(): void;
  reject(error: unknown): void;
}

const DONE: IteratorResult<WebSocketMessage, undefined> = { done: true, value: undefined };

/**
 * The messages travelling one way over a WebSocket, in order. `push()`
 * resolves once the queue has taken the message (at once while it holds
 * fewer than `capacity`, else when a reader makes room), so a sender that
 * awaits it is held back by a peer that does not read. After `end()`, the
 * messages already taken can still be read; then reads are done (or throw
 * the error the queue ended with), and pushes reject.
 */
export class MessageQueue {
  readonly #capacity: number;
  #items: WebSocketMessage[] = [];
  #readers: Reader[] = [];
  #writers: Writer[] = [];
  #ended = false;
  #error: { error: unknown } | undefined;
  /** How many messages readers have taken so far. */
  taken = 0;

  /** A queue that holds up to `capacity` messages before `push()` waits (`Infinity` never waits). */
  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Whether `end()` was called. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Adds a message; resolves when the queue has taken it, rejects with `closedError` once ended. */
  push(message: WebSocketMessage, closedError: () => Error): Promise<void> {
    if (this.#ended) return Promise.reject(closedError());
    const reader = this.#readers.shift();
    if (reader !== undefined) {
      this.taken++;
      reader.resolve({ done: false, value: message });
      return Promise.resolve();
    }
    if (this.#items.length < this.#capacity) {
      this.#items.push(message);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.#writers.push({ message, resolve, reject }));
  }

  /**
   * The next message; `done` once the queue has ended and is empty. With
   * `timeoutMs`, rejects with `onTimeout()` when nothing came in time (and
   * the message that comes later stays for the next read).
   */
  take(
    timeoutMs?: number,
    onTimeout?: () => Error,
  ): Promise<IteratorResult<WebSocketMessage, undefined>> {
    const message = this.#items.shift();
    if (message !== undefined) {
      this.taken++;
      const writer = this.#writers.shift();
      if (writer !== undefined) {
        this.#items.push(writer.message);
        writer.resolve();
      }
      return Promise.resolve({ done: false, value: message });
    }
    if (this.#ended) {
      return this.#error === undefined ? Promise.resolve(DONE) : Promise.reject(this.#error.error);
    }
    return new Promise((resolve, reject) => {
      const reader: Reader = { resolve, reject };
      this.#readers.push(reader);
      if (timeoutMs === undefined || !Number.isFinite(timeoutMs)) return;
      const timer = setTimeout(() => {
        const index = this.#readers.indexOf(reader);
        if (index === -1) return;
        this.#readers.splice(index, 1);
        reject(onTimeout?.() ?? new Error(`no message within ${timeoutMs} ms`));
      }, timeoutMs);
      reader.resolve = (result) => {
        clearTimeout(timer);
        resolve(result);
      };
      reader.reject = (error) => {
        clearTimeout(timer);
        reject(error);
      };
    });
  }

  /**
   * Ends the queue: waiting writers reject with `closedError`, waiting readers
   * are done (or reject with `error`). Messages already taken stay readable.
   */
  end(closedError: () => Error, error?: { error: unknown }): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = error;
    for (const writer of this.#writers.splice(0)) writer.reject(closedError());
    for (const reader of this.#readers.splice(0)) {
      if (error === undefined) reader.resolve(DONE);
      else reader.reject(error.error);
    }
  }
}
