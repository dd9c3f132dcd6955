import { ByteBatch } from './byte-batch.js';
import { type Flushable, lineBuffers } from './registry.js';
import { writeAllSync } from './write-sync.js';

/**
 * Where a {@link LineBuffer} writes: a Node `Writable` (`process.stdout`,
 * `fs.createWriteStream(path)`) or any object with a `write` method.
 */
export interface LineSink {
  /**
   * Takes one batch of whole lines: UTF-8 bytes for a stream (a sink with
   * `once`), a string for any other sink. A stream returns `false` when it
   * wants a `'drain'` first.
   */
  write(chunk: string | Uint8Array, callback?: (error?: Error | null) => void): unknown;
  /** A stream's event registration: its presence marks a stream (backpressure, write callbacks). */
  once?(event: 'drain', listener: () => void): unknown;
  /** The file descriptor under a stream, when it has one: the exit-time write goes straight to it. */
  readonly fd?: number | null;
}

/** Options of {@link LineBuffer}. Every one is optional. */
export interface LineBufferOptions {
  /** Longest a line waits before its batch is written, in ms. Default 100. */
  intervalMs?: number;
  /** A batch is written as soon as it holds this many bytes. Default 65536 (64 KiB). */
  batchSize?: number;
  /**
   * Most bytes held while the stream asks to wait (`write` returned
   * `false` and no `'drain'` came yet). A line past it is dropped and
   * counted, and `warn` says so. Default 8388608 (8 MiB).
   */
  maxPending?: number;
  /** Where the buffer reports dropped lines and failed writes. Default: `process.stderr`. */
  warn?: (message: string) => void;
}

const toStderr = (message: string): void => {
  process.stderr.write(message);
};

/**
 * Batches log lines into one write: each line is encoded to UTF-8 into a
 * preallocated chunk as it comes (`ByteBatch`), and the batch is written when
 * it reaches `batchSize`, at most `intervalMs` after its first
 * line, on {@link LineBuffer.flush}, and, synchronously, when the process
 * exits. One write per batch instead of one per line is what makes a
 * per-request log line cheap.
 *
 * A stream's backpressure is kept: while `write` has returned `false`, lines
 * gather until its `'drain'`, up to `maxPending` characters; past that, lines
 * are dropped and counted, and the count is reported (memory stays bounded
 * when a log reader stalls). On a graceful stop, `flushLineBuffers()` (or
 * `flush()`) waits until the stream took everything, so nothing is lost.
 *
 * At exit, what is left goes with a synchronous write to the stream's file
 * descriptor when it has one (files and pipes: `process.stdout`,
 * `fs.createWriteStream`); another sink gets a last `write` call, which a
 * stream that writes asynchronously cannot finish before the process ends.
 *
 * @example
 * const log = new LineBuffer(process.stdout);
 * log.write('GET / 200\n');   // written within 100 ms, with the lines after it
 */
export class LineBuffer implements Flushable {
  readonly #sink: LineSink;
  readonly #stream: boolean;
  readonly #intervalMs: number;
  readonly #batchSize: number;
  readonly #maxPending: number;
  readonly #warn: (message: string) => void;
  readonly #batch: ByteBatch;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #waitingDrain = false;
  #inFlight = 0;
  #dropped = 0;
  #reported = 0;
  #idle: Array<() => void> = [];

  constructor(sink: LineSink, options: LineBufferOptions = {}) {
    if (sink === null || typeof sink !== 'object' || typeof sink.write !== 'function') {
      throw new TypeError('LineBuffer: the sink must be a writable stream or have a write method');
    }
    this.#sink = sink;
    this.#stream = typeof sink.once === 'function';
    this.#intervalMs = positive(options.intervalMs, 100, 'intervalMs');
    this.#batchSize = positive(options.batchSize, 65_536, 'batchSize');
    this.#maxPending = Math.max(
      positive(options.maxPending, 8_388_608, 'maxPending'),
      this.#batchSize,
    );
    this.#warn = options.warn ?? toStderr;
    this.#batch = new ByteBatch(this.#batchSize);
  }

  /** Lines dropped so far because the stream did not drain (see `maxPending`). */
  get dropped(): number {
    return this.#dropped;
  }

  /** Bytes waiting to be written. */
  get pendingLength(): number {
    return this.#batch.length;
  }

  /** Adds `text`: one or more whole lines, each with its trailing newline. */
  write(text: string): void {
    const batch = this.#batch;
    if (batch.length + text.length > this.#maxPending) {
      this.#dropped++;
      if (this.#dropped - this.#reported === 1) {
        this.#warn(
          `tsgi: log stream is not draining; ${batch.length} bytes held, dropping lines until it drains\n`,
        );
      }
      return;
    }
    if (batch.length === 0) lineBuffers().add(this);
    batch.append(text);
    if (batch.length >= this.#batchSize) this.#send();
    else if (this.#timer === undefined && !this.#waitingDrain) {
      this.#timer = setTimeout(this.#onTimer, this.#intervalMs);
      this.#timer.unref?.();
    }
  }

  /** Writes what is pending now; resolves once the stream took every line (its write callbacks ran). */
  flush(): Promise<void> {
    this.#send();
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /**
   * Writes what is pending at once, synchronously: straight to the stream's
   * file descriptor when it has one, else by a last `write` call. For a
   * process that is exiting (the exit hook calls it); elsewhere use `flush`.
   */
  flushSync(): void {
    this.#clearTimer();
    if (this.#batch.length > 0) {
      const bytes = this.#batch.take();
      const fd = this.#sink.fd;
      if (typeof fd === 'number' && fd >= 0) writeAllSync(fd, bytes);
      else this.#sink.write(this.#stream ? bytes : bytes.toString('utf8'));
    }
    this.#reportDropped();
    if (this.#inFlight === 0) lineBuffers().delete(this);
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    this.#send();
  };

  readonly #onDrain = (): void => {
    this.#waitingDrain = false;
    this.#reportDropped();
    this.#send();
    this.#settle();
  };

  readonly #onWritten = (error?: Error | null): void => {
    this.#inFlight--;
    if (error) this.#warn(`tsgi: a log write failed: ${error.message}\n`);
    this.#settle();
  };

  #send(): void {
    this.#clearTimer();
    if (this.#batch.length === 0 || this.#waitingDrain) return;
    const batch = this.#batch.take();
    if (!this.#stream) {
      try {
        this.#sink.write(batch.toString('utf8'));
      } catch (error) {
        this.#warn(
          `tsgi: a log write failed: ${error instanceof Error ? error.message : String(error)}\n`,
        );
      }
      this.#settle();
      return;
    }
    this.#inFlight++;
    if (this.#sink.write(batch, this.#onWritten) === false) {
      this.#waitingDrain = true;
      this.#sink.once!('drain', this.#onDrain);
    }
  }

  #clearTimer(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #isIdle(): boolean {
    return this.#batch.length === 0 && this.#inFlight === 0 && !this.#waitingDrain;
  }

  /** Leaves the registry and wakes `flush()` callers once nothing is pending or under way. */
  #settle(): void {
    if (!this.#isIdle()) return;
    lineBuffers().delete(this);
    for (const resolve of this.#idle.splice(0)) resolve();
  }

  #reportDropped(): void {
    if (this.#dropped === this.#reported) return;
    this.#warn(
      `tsgi: ${this.#dropped - this.#reported} log lines were dropped while the stream was not draining\n`,
    );
    this.#reported = this.#dropped;
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new TypeError(`LineBuffer: "${name}" must be a positive number, got ${String(value)}`);
  }
  return value;
}
