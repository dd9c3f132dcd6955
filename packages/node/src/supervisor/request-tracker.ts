import type { ListenerRequest } from '../contracts/request-events.js';
import type { Listener } from '../listener/listener.js';

interface InFlight {
  readonly startedAt: number;
  readonly what: string;
  readonly abort: () => void;
  killed: boolean;
}

/** What the tracker reports to its owner. */
export interface TrackerEvents {
  /** The request count reached the worker's max-requests. */
  onLimit(count: number): void;
  /** A request ran past harakiri; it was answered 504 (or cut) already. */
  onHarakiri(what: string, seconds: number): void;
}

/**
 * Counts requests (for `--max-requests`) and watches how long each runs (for
 * `--harakiri`) on a listener of any protocol, through its `'request'`
 * event. A request past the harakiri time gets a 504 when nothing was sent
 * yet (its connection is cut otherwise) and is reported once.
 */
export class RequestTracker {
  count = 0;
  private readonly inFlight = new Set<InFlight>();
  private readonly limit: number;
  private readonly harakiriMs: number;
  private readonly events: TrackerEvents;
  private timer: NodeJS.Timeout | undefined;

  /** `limit` 0 and `harakiriSeconds` 0 turn either check off. */
  constructor(limit: number, harakiriSeconds: number, events: TrackerEvents) {
    this.limit = limit;
    this.harakiriMs = harakiriSeconds * 1000;
    this.events = events;
  }

  /** Starts watching the requests of `listener`. */
  attach(listener: Listener): void {
    // Nothing to count or time: stay off the request path entirely.
    if (this.limit === 0 && this.harakiriMs === 0) return;
    listener.on('request', (request) => {
      this.add(`${request.method} ${request.target}`, request, () =>
        request.abort(504, 'Gateway Timeout: the request ran past the harakiri limit'),
      );
    });
    if (this.harakiriMs > 0) {
      const every = Math.max(100, Math.min(1000, this.harakiriMs / 4));
      this.timer = setInterval(() => this.check(), every);
      this.timer.unref();
    }
  }

  /** Stops the harakiri timer. */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  private add(what: string, request: ListenerRequest, abort: () => void): void {
    this.count++;
    if (this.limit > 0 && this.count === this.limit) this.events.onLimit(this.count);
    if (this.harakiriMs === 0) return;
    const entry: InFlight = { startedAt: Date.now(), what, abort, killed: false };
    this.inFlight.add(entry);
    request.onClose(() => this.inFlight.delete(entry));
  }

  private check(): void {
    const now = Date.now();
    for (const entry of this.inFlight) {
      if (entry.killed || now - entry.startedAt < this.harakiriMs) continue;
      entry.killed = true;
      this.inFlight.delete(entry);
      try {
        entry.abort();
      } catch {
        // the connection is already gone
      }
      this.events.onHarakiri(entry.what, this.harakiriMs / 1000);
    }
  }
}
