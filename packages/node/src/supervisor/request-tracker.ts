import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'node:net';
import type { Environ } from '@tsgi/spec';
import type { UwsgiResponse } from '../uwsgi/response.js';

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
 * `--harakiri`) on an HTTP or uwsgi server, through the servers' `'request'`
 * events. A request past the harakiri time gets a 504 when nothing was sent
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

  /** Starts watching a server made by `createServer` or `createUwsgiServer`. */
  attach(server: Server, protocol: 'http' | 'uwsgi'): void {
    // Nothing to count or time: stay off the request path entirely.
    if (this.limit === 0 && this.harakiriMs === 0) return;
    if (protocol === 'http') {
      server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
        this.add(`${req.method} ${req.url}`, res, () => {
          if (!res.headersSent && !res.writableEnded) {
            const body = 'Gateway Timeout: the request ran past the harakiri limit\n';
            res.shouldKeepAlive = false;
            res.writeHead(504, {
              'content-type': 'text/plain; charset=utf-8',
              'content-length': Buffer.byteLength(body),
              connection: 'close',
            });
            res.end(body);
          } else {
            res.destroy();
          }
        });
      });
    } else {
      server.prependListener('request', (environ: Environ, response: UwsgiResponse) => {
        this.add(`${environ.REQUEST_METHOD} ${environ.REQUEST_URI}`, response, () =>
          response.abort(
            504,
            'Gateway Timeout',
            'Gateway Timeout: the request ran past the harakiri limit',
          ),
        );
      });
    }
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

  private add(
    what: string,
    sink: { on(event: 'close', listener: () => void): unknown },
    abort: () => void,
  ): void {
    this.count++;
    if (this.limit > 0 && this.count === this.limit) this.events.onLimit(this.count);
    if (this.harakiriMs === 0) return;
    const entry: InFlight = { startedAt: Date.now(), what, abort, killed: false };
    this.inFlight.add(entry);
    sink.on('close', () => this.inFlight.delete(entry));
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
