import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AccessLogger, LogRequest } from '../contracts/access-log.js';
import type {
  RequestEvents,
  RequestMetrics,
  WebSocketCounts,
} from '../contracts/request-events.js';
import { RequestInput } from '../request/input.js';
import { activeKey, HttpRecorder, methodLabel } from './http-recorder.js';
import { bucketOf } from './http-series.js';
import { DURATION_BUCKETS, emptyCounts, type ProcessSample, type RequestCounts } from './sample.js';
import { type MetricsSource, type MetricsView, processView } from './view.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The `method` label of a request method: itself when standard, `other` otherwise (bounded cardinality). */
function methodClass(method: string): string {
  return METHODS.has(method) ? method : 'other';
}

/** `"<method class> <status class>"` keys, built once each: no string is made per request. */
const KEYS = new Map<string, string[]>();

function requestKey(method: string, status: number): string {
  let byClass = KEYS.get(method);
  if (byClass === undefined) {
    const label = methodClass(method);
    byClass = Array.from({ length: 10 }, (_, c) => `${label} ${c}xx`);
    if (label !== 'other' || KEYS.size < 64) KEYS.set(method, byClass);
  }
  return byClass[Math.floor(status / 100) % 10]!;
}

/**
 * Counts the requests of one process: give it to `serve()` (or
 * `createListener`, `createServer`, `createHandler`) as the `metrics`
 * option, then expose it with `metricsApplication(collector)` on a route of
 * your choosing. The `tsgi` CLI runs one in every worker and adds them up
 * in the master (`--metrics`).
 *
 * The request path pays one `performance.now()`, a few additions, and a
 * close listener for the in-flight gauge; the rest happens when read.
 *
 * @example
 * const metrics = new MetricsCollector();
 * const server = await serve(app, { port: 8000, metrics });
 * await serve(metricsApplication(metrics), { port: 9100 });
 */
export class MetricsCollector implements MetricsSource, RequestMetrics {
  private readonly counts: RequestCounts = emptyCounts();
  private readonly startedAt = Date.now();
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 10 });
  /** The attached listeners that serve WebSockets, read at each sample. */
  private readonly webSocketSources: Array<() => WebSocketCounts | undefined> = [];
  /** The OpenTelemetry HTTP server histograms, counted into `counts.http`. */
  private readonly http = new HttpRecorder(this.counts.http);
  /** The key and in-flight close listener of each `http_server_active_requests` series, by method label, then scheme. */
  private readonly activeSlots = new Map<
    string,
    Map<string | undefined, { key: string; done: () => void }>
  >();

  constructor() {
    this.loopDelay.enable();
  }

  /**
   * The access logger that feeds the counters; the server calls it once per
   * request, after its response (the server context chains it after the
   * access log). `refused` marks requests answered before the application.
   */
  readonly record: AccessLogger = (environ, status, bytes, startedAt, refused) => {
    const counts = this.counts;
    const seconds = (performance.now() - startedAt) / 1000;
    if (refused === true) {
      const key = String(status);
      counts.refused[key] = (counts.refused[key] ?? 0) + 1;
      this.http.record(environ, status, seconds, 0, bytes);
      return;
    }
    const key = requestKey(environ.REQUEST_METHOD, status);
    counts.requests[key] = (counts.requests[key] ?? 0) + 1;
    counts.durationBuckets[bucketOf(DURATION_BUCKETS, seconds)]!++;
    counts.durationSum += seconds;
    counts.sentBytes += bytes;
    const received = receivedBytes(environ);
    counts.receivedBytes += received;
    this.http.record(environ, status, seconds, received, bytes);
  };

  /** Counts the requests in flight on `listener` (its `'request'` event and their close). */
  attach(listener: RequestEvents): void {
    const counts = this.counts;
    listener.on('request', (request) => {
      counts.inFlight++;
      request.onClose(this.activeSlot(request.method, request.scheme));
    });
    const webSockets = listener.webSockets;
    if (webSockets !== undefined) this.webSocketSources.push(webSockets.bind(listener));
  }

  /**
   * Counts one more request in flight under its method and scheme, and
   * returns the close listener that counts it out again (one per label set,
   * made once: a request makes no closure).
   */
  private activeSlot(method: string, scheme: string | undefined): () => void {
    const label = methodLabel(method);
    let byScheme = this.activeSlots.get(label);
    if (byScheme === undefined) {
      byScheme = new Map();
      this.activeSlots.set(label, byScheme);
    }
    let slot = byScheme.get(scheme);
    if (slot === undefined) {
      const counts = this.counts;
      const key = activeKey(label, scheme);
      counts.active[key] ??= 0;
      slot = {
        key,
        done: () => {
          counts.inFlight--;
          counts.active[key]!--;
        },
      };
      byScheme.set(scheme, slot);
    }
    this.counts.active[slot.key]!++;
    return slot.done;
  }

  /** A copy of the counters, the RSS, and the event-loop delay since the last sample (which it resets). */
  sample(): ProcessSample {
    const delay = this.loopDelay.count > 0 ? this.loopDelay.percentile(99) / 1e9 : 0;
    this.loopDelay.reset();
    const sample = structuredClone(this.counts);
    for (const source of this.webSocketSources) {
      const figures = source();
      if (figures === undefined) continue;
      sample.websocketsOpen += figures.open;
      sample.websocketsAccepted += figures.accepted;
      sample.websocketMessagesReceived += figures.received;
      sample.websocketMessagesSent += figures.sent;
    }
    return {
      ...sample,
      rss: process.memoryUsage.rss(),
      eventLoopDelay: delay,
    };
  }

  /** What `/metrics` and `/stats` show of this process alone. */
  view(): MetricsView {
    return processView(this.sample(), this.startedAt);
  }

  /** Stops the event-loop delay monitor. */
  stop(): void {
    this.loopDelay.disable();
  }
}

/**
 * A request's body bytes: its `Content-Length`, or for a chunked body the
 * bytes the application read (when `tsgi.input` is still the server's own
 * stream, not one a middleware put in its place).
 */
function receivedBytes(environ: LogRequest): number {
  const seen = environ as { CONTENT_LENGTH?: string; 'tsgi.input'?: unknown };
  if (seen.CONTENT_LENGTH !== undefined) return Number(seen.CONTENT_LENGTH) || 0;
  const input = seen['tsgi.input'];
  return input instanceof RequestInput ? input.received : 0;
}
