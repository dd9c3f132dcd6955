import { addCounts, emptyCounts, type ProcessSample, type RequestCounts } from './sample.js';

/** Why a worker process ended, as `tsgi_worker_exits_total{reason}` counts it. */
export type ExitReason = 'reload' | 'max-requests' | 'harakiri' | 'ttou' | 'shutdown' | 'crash';

/** Every exit reason, in the order `/metrics` lists them. */
export const EXIT_REASONS: readonly ExitReason[] = [
  'reload',
  'max-requests',
  'harakiri',
  'ttou',
  'shutdown',
  'crash',
];

/** One serving process as `/metrics` and `/stats` show it. */
export interface WorkerView {
  /** The cluster worker id (`0` for a process without a master). */
  id: number;
  pid: number;
  /** `starting`, `ready` or `stopping` under a master; `ready` alone. */
  state: string;
  /** When it started, in ms since the epoch. */
  startedAt: number;
  /** When its last sample arrived, in ms since the epoch. */
  lastSeen: number;
  /** Its counters and health at `lastSeen`. */
  sample: ProcessSample;
}

/** Everything `/metrics` and `/stats` render, read at one moment. */
export interface MetricsView {
  /** `master` (the `tsgi` master adding up its workers) or `single` (one process). */
  mode: 'master' | 'single';
  /** The pid of the process serving the view. */
  pid: number;
  /** When it started, and now, in ms since the epoch. */
  startedAt: number;
  now: number;
  /** The counters of every worker since start, those that exited included. */
  totals: RequestCounts;
  workers: WorkerView[];
  /** Worker starts and exits by reason; only under a master. */
  lifecycle?: { starts: number; exits: Record<ExitReason, number> };
  /** The listen socket's accept queue, where the platform shows it (Linux, TCP). */
  listenQueue?: { length: number; limit: number };
}

/** Something `/metrics` and `/stats` can be served from: a `MetricsCollector` or the `tsgi` master. */
export interface MetricsSource {
  /** The figures now. */
  view(): MetricsView;
}

/** The view of one process on its own, from its sample. */
export function processView(sample: ProcessSample, startedAt: number): MetricsView {
  const now = Date.now();
  return {
    mode: 'single',
    pid: process.pid,
    startedAt,
    now,
    totals: addCounts(emptyCounts(), sample),
    workers: [{ id: 0, pid: process.pid, state: 'ready', startedAt, lastSeen: now, sample }],
  };
}
