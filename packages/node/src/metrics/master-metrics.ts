import { readListenQueue } from './listen-queue.js';
import { addCounts, emptyCounts, type ProcessSample } from './sample.js';
import { EXIT_REASONS, type ExitReason, type MetricsSource, type MetricsView } from './view.js';

interface Tracked {
  readonly pid: number;
  readonly startedAt: number;
  lastSeen: number;
  sample: ProcessSample;
  reason: ExitReason | undefined;
}

const zeroSample = (): ProcessSample => ({ ...emptyCounts(), rss: 0, eventLoopDelay: 0 });

/**
 * The `tsgi` master's figures: the last sample of each living worker (they
 * send one every second over the cluster IPC, and a last one when they stop
 * gracefully), the counts of the workers that exited, and worker starts and
 * exits by reason. A scrape reads only what is here; it never asks a worker.
 * A worker killed outright (`kill -9`, harakiri) loses what it counted since its
 * last sample, at most a second's worth.
 */
export class MasterMetrics implements MetricsSource {
  private readonly workers = new Map<number, Tracked>();
  private readonly retired = emptyCounts();
  private starts = 0;
  private readonly exits = Object.fromEntries(EXIT_REASONS.map((r) => [r, 0])) as Record<
    ExitReason,
    number
  >;
  private readonly startedAt = Date.now();
  private readonly state: (id: number) => string;
  private readonly port: () => number | undefined;

  /**
   * `state` names the state of worker `id` (`starting`, `ready`, `stopping`);
   * `port` is the application's TCP port, for the listen queue, once known.
   */
  constructor(state: (id: number) => string, port: () => number | undefined) {
    this.state = state;
    this.port = port;
  }

  /** Worker `id` (process `pid`) was forked. */
  started(id: number, pid: number): void {
    this.starts++;
    const now = Date.now();
    this.workers.set(id, {
      pid,
      startedAt: now,
      lastSeen: now,
      sample: zeroSample(),
      reason: undefined,
    });
  }

  /** Worker `id` sent `sample`. */
  sampled(id: number, sample: ProcessSample): void {
    const worker = this.workers.get(id);
    if (worker === undefined) return;
    worker.sample = sample;
    worker.lastSeen = Date.now();
  }

  /** Worker `id` is about to end for `reason`; the first reason given is the one counted. */
  ending(id: number, reason: ExitReason): void {
    const worker = this.workers.get(id);
    if (worker !== undefined) worker.reason ??= reason;
  }

  /** Worker `id` exited: counted under the reason it was given, `crash` without one. */
  exited(id: number): void {
    const worker = this.workers.get(id);
    if (worker === undefined) return;
    this.workers.delete(id);
    this.exits[worker.reason ?? 'crash']++;
    addCounts(this.retired, { ...worker.sample, inFlight: 0, websocketsOpen: 0, active: {} });
  }

  /** The figures now, for `/metrics` and `/stats`. */
  view(): MetricsView {
    const totals = addCounts(emptyCounts(), this.retired);
    const workers = [...this.workers].map(([id, w]) => {
      addCounts(totals, w.sample);
      return {
        id,
        pid: w.pid,
        state: this.state(id),
        startedAt: w.startedAt,
        lastSeen: w.lastSeen,
        sample: w.sample,
      };
    });
    const port = this.port();
    const listenQueue = port === undefined ? undefined : readListenQueue(port);
    return {
      mode: 'master',
      pid: process.pid,
      startedAt: this.startedAt,
      now: Date.now(),
      totals,
      workers,
      lifecycle: { starts: this.starts, exits: { ...this.exits } },
      ...(listenQueue === undefined ? {} : { listenQueue }),
    };
  }
}
