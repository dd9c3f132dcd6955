import type { WireSocket } from '../wire/wire-socket.js';

/** What the sweep reads and writes on each connection it watches. */
export interface Watched {
  readonly socket: WireSocket;
  /** True once the packet arrived: the idle timeout applies, no longer the packet deadline. */
  readonly busy: boolean;
  /** `Date.now()` value past which the connection is destroyed; 0 for never. */
  deadline: number;
  /** Bytes read plus bytes written when the sweep last saw the connection move. */
  seen: number;
}

/**
 * One timer per server instead of one per connection: every `interval` ms it
 * walks the live connections and destroys each one past its deadline, the way
 * uWSGI and Nginx police their timeouts with a coarse wheel. A connection still
 * sending its packet has a fixed deadline (`headersTimeout` from its accept);
 * once it is served, each sweep that sees its byte counters move pushes the
 * deadline `idleTimeout` further, so a stream that moves is never cut and one
 * that stalls goes between `idleTimeout` and `idleTimeout + interval` after
 * its last move. The timer runs only while connections are open, unref'd.
 */
export class DeadlineSweep {
  private timer: NodeJS.Timeout | undefined;
  private readonly connections: ReadonlySet<Watched>;
  private readonly packetTimeout: number;
  private readonly idleTimeout: number;
  /** Without a packet deadline, the idle timeout also applies while the packet arrives. */
  private readonly idleWhileReading: boolean;
  /** Milliseconds between two sweeps: a quarter of the shortest timeout, within 10–1000. */
  readonly interval: number;

  /** `packetTimeout` and `idleTimeout` in ms, 0 for none. */
  constructor(connections: ReadonlySet<Watched>, packetTimeout: number, idleTimeout: number) {
    this.connections = connections;
    this.packetTimeout = packetTimeout;
    this.idleTimeout = idleTimeout;
    this.idleWhileReading = packetTimeout <= 0;
    const shortest = Math.min(
      packetTimeout > 0 ? packetTimeout : Number.POSITIVE_INFINITY,
      idleTimeout > 0 ? idleTimeout : Number.POSITIVE_INFINITY,
    );
    this.interval = Math.min(1000, Math.max(10, Math.floor(shortest / 4)));
  }

  /** Makes sure the timer runs; call it after adding a connection with a deadline. */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.sweep(Date.now()), this.interval);
    this.timer.unref();
  }

  /** The deadline of a connection just accepted (0: none). */
  acceptDeadline(watched: Watched, now: number): number {
    if (this.packetTimeout > 0) return now + this.packetTimeout;
    return this.idleDeadline(watched, now);
  }

  /** The deadline of a connection whose packet just arrived (0: no idle timeout). */
  idleDeadline(watched: Watched, now: number): number {
    watched.seen = watched.socket.bytesRead + watched.socket.bytesWritten;
    return this.idleTimeout > 0 ? now + this.idleTimeout : 0;
  }

  /** One pass: destroys what is past its deadline; stops the timer when no connection is left. */
  sweep(now: number): void {
    if (this.connections.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    for (const watched of this.connections) {
      if (watched.deadline === 0) continue;
      if (watched.busy || this.idleWhileReading) {
        const moved = watched.socket.bytesRead + watched.socket.bytesWritten;
        if (moved !== watched.seen) {
          watched.seen = moved;
          watched.deadline = now + this.idleTimeout;
          continue;
        }
      }
      if (now >= watched.deadline) watched.socket.destroy();
    }
  }
}
