import { addHttpSeries, type HttpSeriesCounts } from './http-series.js';

/**
 * Upper bounds, in seconds, of the request-duration histogram's buckets
 * (`+Inf` is implied after the last): from 1 ms, for small JSON answers, to
 * 10 s, for slow reports.
 */
export const DURATION_BUCKETS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/**
 * The request counters of one process (or the sum of several), as plain
 * JSON: what a worker sends its master, and what the master adds up. Every
 * field only grows, except `inFlight`, `websocketsOpen` and `active`.
 */
export interface RequestCounts {
  /** Requests the application answered, by `"<method class> <status class>"`, e.g. `"GET 2xx"`. */
  requests: Record<string, number>;
  /** Requests per duration bucket (not cumulative); one more entry than `DURATION_BUCKETS`, for `+Inf`. */
  durationBuckets: number[];
  /** Sum of the request durations, in seconds. */
  durationSum: number;
  /** Request body bytes: each request's `Content-Length` (of a chunked body, the bytes the application read). */
  receivedBytes: number;
  /** Response body bytes sent. */
  sentBytes: number;
  /** Requests refused before the application, by status (`"400"`, `"408"`, `"413"`, `"414"`, `"431"`). */
  refused: Record<string, number>;
  /** Requests running now. */
  inFlight: number;
  /** WebSockets open now. */
  websocketsOpen: number;
  /** WebSockets accepted. */
  websocketsAccepted: number;
  /** WebSocket messages received from peers. */
  websocketMessagesReceived: number;
  /** WebSocket messages the application sent. */
  websocketMessagesSent: number;
  /**
   * The OpenTelemetry HTTP server histograms, by their label text as
   * `/metrics` renders it, e.g. `http_request_method="GET",…`.
   */
  http: Record<string, HttpSeriesCounts>;
  /** Requests running now by `"<method label> <scheme>"`, e.g. `"GET http"`, `"_OTHER https"`. */
  active: Record<string, number>;
}

/** One process's counters and health, as it reports them. */
export interface ProcessSample extends RequestCounts {
  /** Resident set size in bytes. */
  rss: number;
  /** 99th percentile of the event-loop delay since the last sample, in seconds. */
  eventLoopDelay: number;
}

/** Counters at zero. */
export function emptyCounts(): RequestCounts {
  return {
    requests: {},
    durationBuckets: new Array<number>(DURATION_BUCKETS.length + 1).fill(0),
    durationSum: 0,
    receivedBytes: 0,
    sentBytes: 0,
    refused: {},
    inFlight: 0,
    websocketsOpen: 0,
    websocketsAccepted: 0,
    websocketMessagesReceived: 0,
    websocketMessagesSent: 0,
    http: {},
    active: {},
  };
}

function addRecord(into: Record<string, number>, from: Record<string, number>): void {
  for (const [key, value] of Object.entries(from)) into[key] = (into[key] ?? 0) + value;
}

/** Adds `from` to `into` (in place) and returns `into`. */
export function addCounts(into: RequestCounts, from: RequestCounts): RequestCounts {
  addRecord(into.requests, from.requests);
  from.durationBuckets.forEach((n, i) => {
    into.durationBuckets[i] = (into.durationBuckets[i] ?? 0) + n;
  });
  into.durationSum += from.durationSum;
  into.receivedBytes += from.receivedBytes;
  into.sentBytes += from.sentBytes;
  addRecord(into.refused, from.refused);
  into.inFlight += from.inFlight;
  into.websocketsOpen += from.websocketsOpen;
  into.websocketsAccepted += from.websocketsAccepted;
  into.websocketMessagesReceived += from.websocketMessagesReceived;
  into.websocketMessagesSent += from.websocketMessagesSent;
  addHttpSeries(into.http, from.http);
  addRecord(into.active, from.active);
  return into;
}

/** The total of a record of counts. */
export function sum(record: Record<string, number>): number {
  let total = 0;
  for (const value of Object.values(record)) total += value;
  return total;
}

/**
 * The `q` quantile (0..1) of a bucketed histogram, interpolated linearly
 * inside the bucket as Prometheus' `histogram_quantile` does; `null` when
 * it holds nothing. A quantile in the `+Inf` bucket is the last finite bound.
 */
export function quantile(buckets: readonly number[], q: number): number | null {
  let total = 0;
  for (const n of buckets) total += n;
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    const n = buckets[i]!;
    if (seen + n >= rank && n > 0) {
      const upper = DURATION_BUCKETS[i];
      if (upper === undefined) return DURATION_BUCKETS[DURATION_BUCKETS.length - 1]!;
      const lower = i === 0 ? 0 : DURATION_BUCKETS[i - 1]!;
      return lower + (upper - lower) * ((rank - seen) / n);
    }
    seen += n;
  }
  return DURATION_BUCKETS[DURATION_BUCKETS.length - 1]!;
}
