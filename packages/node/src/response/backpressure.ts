import type { ResponseSink } from './sink.js';

/**
 * Backpressure for one exchange, made at its first wait: a promise that
 * resolves on the sink's next `'drain'` (or when the exchange is over), and a
 * stall timer that destroys the connection of a client that reads nothing for
 * `timeout` ms (0: never); its `'close'` then ends the exchange.
 */
export class Backpressure {
  private readonly sink: ResponseSink;
  private readonly timeout: number;
  private pending: Promise<void> | undefined;
  private resolve: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  /** Listens for `'drain'` on `sink`, once for the whole exchange. */
  constructor(sink: ResponseSink, timeout: number) {
    this.sink = sink;
    this.timeout = timeout;
    sink.on('drain', () => this.wake());
  }

  /** Resolves at the next `'drain'` or `wake()`; callers that wait together share one promise. */
  wait(): Promise<void> {
    if (this.pending === undefined) {
      this.pending = new Promise<void>((resolve) => {
        this.resolve = resolve;
      });
      if (this.timeout > 0) this.timer = setTimeout(() => this.sink.destroy(), this.timeout);
    }
    return this.pending;
  }

  /** Lets the waiters go on (they look at the exchange's phase) and stops the stall timer. */
  wake(): void {
    const resolve = this.resolve;
    if (this.pending === undefined || resolve === undefined) return;
    this.pending = undefined;
    this.resolve = undefined;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    resolve();
  }
}
