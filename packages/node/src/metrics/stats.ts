import { DURATION_BUCKETS, quantile, type RequestCounts, sum } from './sample.js';
import type { ExitReason, MetricsView } from './view.js';

/** Request figures of `/stats`, for all workers or one. Durations in milliseconds. */
export interface StatsCounts {
  requests: number;
  /** By `"<method> <status class>"`, e.g. `"GET 2xx"`. */
  requests_by_class: Record<string, number>;
  /** Refused before the application, by status. */
  refused: Record<string, number>;
  in_flight: number;
  /** WebSockets open now, and accepted since start. */
  websockets_open: number;
  websockets: number;
  /** WebSocket messages received and sent. */
  websocket_messages: { received: number; sent: number };
  received_bytes: number;
  sent_bytes: number;
  /** Mean, median and 99th percentile duration since start, from the histogram; null before any request. */
  avg_ms: number | null;
  p50_ms: number | null;
  p99_ms: number | null;
  /** Requests per bucket of `duration_bucket_bounds_ms` (not cumulative; the last is beyond the last bound). */
  duration_buckets: number[];
}

/** One worker in `/stats`. */
export interface StatsWorker extends StatsCounts {
  id: number;
  pid: number;
  state: string;
  rss_bytes: number;
  event_loop_delay_ms: number;
  /** Seconds since the epoch. */
  started_at: number;
  last_seen: number;
}

/** The JSON of `/stats`, in the spirit of uWSGI's stats server. */
export interface Stats {
  version: 1;
  mode: 'master' | 'single';
  pid: number;
  /** Seconds since the epoch. */
  started_at: number;
  now: number;
  /** Upper bounds of the duration buckets, in ms. */
  duration_bucket_bounds_ms: number[];
  totals: StatsCounts;
  workers: StatsWorker[];
  /** Worker starts and exits by reason; null without a master. */
  lifecycle: { starts: number; exits: Record<ExitReason, number> } | null;
  /** The accept queue of the listen socket; null where the platform does not show it. */
  listen_queue: { length: number; limit: number } | null;
}

const ms = (seconds: number | null) => (seconds === null ? null : Math.round(seconds * 1e6) / 1e3);

function countsOf(counts: RequestCounts): StatsCounts {
  const requests = sum(counts.requests);
  return {
    requests,
    requests_by_class: { ...counts.requests },
    refused: { ...counts.refused },
    in_flight: counts.inFlight,
    websockets_open: counts.websocketsOpen,
    websockets: counts.websocketsAccepted,
    websocket_messages: {
      received: counts.websocketMessagesReceived,
      sent: counts.websocketMessagesSent,
    },
    received_bytes: counts.receivedBytes,
    sent_bytes: counts.sentBytes,
    avg_ms: requests === 0 ? null : ms(counts.durationSum / requests),
    p50_ms: ms(quantile(counts.durationBuckets, 0.5)),
    p99_ms: ms(quantile(counts.durationBuckets, 0.99)),
    duration_buckets: [...counts.durationBuckets],
  };
}

/** `view` as the JSON `/stats` serves. */
export function statsOf(view: MetricsView): Stats {
  return {
    version: 1,
    mode: view.mode,
    pid: view.pid,
    started_at: view.startedAt / 1000,
    now: view.now / 1000,
    duration_bucket_bounds_ms: DURATION_BUCKETS.map((s) => s * 1000),
    totals: countsOf(view.totals),
    workers: view.workers.map((w) => ({
      id: w.id,
      pid: w.pid,
      state: w.state,
      ...countsOf(w.sample),
      rss_bytes: w.sample.rss,
      event_loop_delay_ms: ms(w.sample.eventLoopDelay) ?? 0,
      started_at: w.startedAt / 1000,
      last_seen: w.lastSeen / 1000,
    })),
    lifecycle: view.lifecycle ?? null,
    listen_queue: view.listenQueue ?? null,
  };
}
