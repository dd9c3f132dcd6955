import { HTTP_METRICS, type HttpMetricDefinition } from './http-metrics.js';
import type { HttpSeriesCounts } from './http-series.js';
import { DURATION_BUCKETS, sum } from './sample.js';
import { EXIT_REASONS, type MetricsView, type WorkerView } from './view.js';

/** One value of a metric with its labels. */
export interface Series {
  labels: Record<string, string>;
  value: number;
}

/**
 * One label set of a histogram: its label text as rendered (`''` for none),
 * its counts per bucket (not cumulative, `+Inf` last) and their sum.
 */
export interface HistogramSeries {
  labels: string;
  counts: readonly number[];
  sum: number;
}

/** One metric family `/metrics` exposes: the one place its name, type, labels and meaning are stated. */
export interface MetricDefinition {
  /** The name, OpenMetrics style: counters end in `_total`, units are base units (`_seconds`, `_bytes`). */
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  /** Its labels (a histogram's `le` aside). */
  readonly labels: readonly string[];
  /** The `# HELP` text, also the "meaning" column of docs/operations/metrics.md. */
  readonly help: string;
  /** Its series in `view` (none for a histogram: see `histograms`). */
  readonly read: (view: MetricsView) => Series[];
  /** A histogram's bucket boundaries (`+Inf` is implied). */
  readonly buckets?: readonly number[];
  /** A histogram's series in `view`. */
  readonly histograms?: (view: MetricsView) => HistogramSeries[];
}

const one = (value: number): Series[] => [{ labels: {}, value }];

const perWorker = (pick: (worker: WorkerView) => number) => (view: MetricsView) =>
  view.workers.map((w) => ({
    labels: { worker: String(w.id), pid: String(w.pid) },
    value: pick(w),
  }));

/** Which figures of a series each OpenTelemetry histogram shows. */
const HISTOGRAM_FIGURES: Record<
  string,
  (s: HttpSeriesCounts) => { counts: number[]; sum: number }
> = {
  http_server_request_duration_seconds: (s) => ({ counts: s.duration, sum: s.durationSum }),
  http_server_request_body_size_bytes: (s) => ({ counts: s.requestBody, sum: s.requestBodySum }),
  http_server_response_body_size_bytes: (s) => ({
    counts: s.responseBody,
    sum: s.responseBodySum,
  }),
};

/** `http_server_active_requests`: the living workers' requests in flight, by method and scheme. */
function activeRequests(view: MetricsView): Series[] {
  const active: Record<string, number> = {};
  for (const w of view.workers) {
    for (const [key, n] of Object.entries(w.sample.active)) active[key] = (active[key] ?? 0) + n;
  }
  return Object.entries(active).map(([key, value]) => {
    const [method, scheme] = key.split(' ');
    return { labels: { http_request_method: method!, url_scheme: scheme! }, value };
  });
}

/** The `/metrics` family of an OpenTelemetry HTTP server metric. */
function httpFamily(metric: HttpMetricDefinition): MetricDefinition {
  const common = { name: metric.name, type: metric.type, labels: metric.labels, help: metric.help };
  if (metric.type === 'gauge') return { ...common, read: activeRequests };
  const figures = HISTOGRAM_FIGURES[metric.name]!;
  return {
    ...common,
    read: () => [],
    buckets: metric.buckets!,
    histograms: (view) =>
      Object.entries(view.totals.http).map(([labels, series]) => ({ labels, ...figures(series) })),
  };
}

/** Every metric of `/metrics`, in the order it lists them. The tables of docs/operations/metrics.md are tested against it. */
export const METRICS: readonly MetricDefinition[] = [
  ...HTTP_METRICS.map(httpFamily),
  {
    name: 'tsgi_requests_total',
    type: 'counter',
    labels: ['method', 'status_class'],
    help: 'Requests the application answered, by method (GET, POST, …, other) and status class (2xx, …; 499 when the client left first).',
    read: (view) =>
      Object.entries(view.totals.requests).map(([key, value]) => {
        const [method, statusClass] = key.split(' ');
        return { labels: { method: method!, status_class: statusClass! }, value };
      }),
  },
  {
    name: 'tsgi_request_duration_seconds',
    type: 'histogram',
    labels: [],
    help: `Time from the request reaching the server to the end of its response. Buckets: ${DURATION_BUCKETS.join(', ')} s.`,
    read: () => [],
    buckets: DURATION_BUCKETS,
    histograms: (view) => [
      { labels: '', counts: view.totals.durationBuckets, sum: view.totals.durationSum },
    ],
  },
  {
    name: 'tsgi_requests_in_flight',
    type: 'gauge',
    labels: [],
    help: 'Requests running now (as last reported by each worker).',
    read: (view) => one(view.workers.reduce((n, w) => n + w.sample.inFlight, 0)),
  },
  {
    name: 'tsgi_websockets_open',
    type: 'gauge',
    labels: [],
    help: 'WebSockets open now (as last reported by each worker).',
    read: (view) => one(view.workers.reduce((n, w) => n + w.sample.websocketsOpen, 0)),
  },
  {
    name: 'tsgi_websockets_total',
    type: 'counter',
    labels: [],
    help: 'WebSockets accepted (the 101s).',
    read: (view) => one(view.totals.websocketsAccepted),
  },
  {
    name: 'tsgi_websocket_messages_total',
    type: 'counter',
    labels: ['direction'],
    help: 'WebSocket messages, received from peers or sent by the application.',
    read: (view) => [
      { labels: { direction: 'received' }, value: view.totals.websocketMessagesReceived },
      { labels: { direction: 'sent' }, value: view.totals.websocketMessagesSent },
    ],
  },
  {
    name: 'tsgi_request_body_bytes_total',
    type: 'counter',
    labels: [],
    help: 'Request body bytes: the Content-Length of each request the application answered (of a chunked body, the bytes it read).',
    read: (view) => one(view.totals.receivedBytes),
  },
  {
    name: 'tsgi_response_body_bytes_total',
    type: 'counter',
    labels: [],
    help: 'Response body bytes sent.',
    read: (view) => one(view.totals.sentBytes),
  },
  {
    name: 'tsgi_refused_requests_total',
    type: 'counter',
    labels: ['status'],
    help: 'Requests answered before the application ran them (400, 408, 413, 414, 431: the refusals the access log records).',
    read: (view) =>
      Object.entries(view.totals.refused).map(([status, value]) => ({ labels: { status }, value })),
  },
  {
    name: 'tsgi_worker_requests_total',
    type: 'counter',
    labels: ['worker', 'pid'],
    help: 'Requests each living worker answered (a recycled worker’s series ends with it).',
    read: perWorker((w) => sum(w.sample.requests)),
  },
  {
    name: 'tsgi_worker_resident_memory_bytes',
    type: 'gauge',
    labels: ['worker', 'pid'],
    help: 'Resident set size of each worker.',
    read: perWorker((w) => w.sample.rss),
  },
  {
    name: 'tsgi_worker_event_loop_delay_seconds',
    type: 'gauge',
    labels: ['worker', 'pid'],
    help: '99th percentile of each worker’s event-loop delay over its last report interval (1 s).',
    read: perWorker((w) => w.sample.eventLoopDelay),
  },
  {
    name: 'tsgi_worker_last_seen_timestamp_seconds',
    type: 'gauge',
    labels: ['worker', 'pid'],
    help: 'When each worker last reported, in seconds since the epoch (workers report every second).',
    read: perWorker((w) => w.lastSeen / 1000),
  },
  {
    name: 'tsgi_workers',
    type: 'gauge',
    labels: ['state'],
    help: 'Worker processes by state: starting, ready, stopping.',
    read: (view) =>
      ['starting', 'ready', 'stopping'].map((state) => ({
        labels: { state },
        value: view.workers.filter((w) => w.state === state).length,
      })),
  },
  {
    name: 'tsgi_worker_starts_total',
    type: 'counter',
    labels: [],
    help: 'Worker processes the master started (only under a master).',
    read: (view) => (view.lifecycle === undefined ? [] : one(view.lifecycle.starts)),
  },
  {
    name: 'tsgi_worker_exits_total',
    type: 'counter',
    labels: ['reason'],
    help: 'Worker processes that ended, by reason: reload, max-requests, harakiri, ttou, shutdown, crash (any other death). Only under a master.',
    read: (view) =>
      view.lifecycle === undefined
        ? []
        : EXIT_REASONS.map((reason) => ({
            labels: { reason },
            value: view.lifecycle!.exits[reason],
          })),
  },
  {
    name: 'tsgi_listen_queue_length',
    type: 'gauge',
    labels: [],
    help: 'Connections waiting in the listen socket’s accept queue (Linux, TCP only).',
    read: (view) => (view.listenQueue === undefined ? [] : one(view.listenQueue.length)),
  },
  {
    name: 'tsgi_listen_queue_limit',
    type: 'gauge',
    labels: [],
    help: 'The accept queue’s limit: the backlog the kernel applies (Linux, TCP only).',
    read: (view) => (view.listenQueue === undefined ? [] : one(view.listenQueue.limit)),
  },
  {
    name: 'tsgi_process_start_time_seconds',
    type: 'gauge',
    labels: [],
    help: 'When the process serving the metrics (the master) started, in seconds since the epoch.',
    read: (view) => one(view.startedAt / 1000),
  },
];
