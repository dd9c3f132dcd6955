import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { AccessLogger, LogRequest } from '../contracts/access-log.js';
import type {
  RequestEvents,
  RequestMetrics,
  WebSocketCounts,
} from '../contracts/request-events.js';
import { RequestInput } from '../request/input.js';
import { activeKey, HttpRecorder } from './http-recorder.js';
import { bucketOf, observe } from './http-series.js';
import type { ActiveSlot } from './method-table.js';
import { DURATION_BUCKETS, emptyCounts, type ProcessSample, type RequestCounts } from './sample.js';
import { type MetricsSource, type MetricsView, processView } from './view.js';

/**
 * Counts the requests of one process: give it to `serve()` (or
 * `createListener`, `createServer`, `createHandler`) as the `metrics`
 * option, then expose it with `metricsApplication(collector)` on a route of
 * your choosing. The `tsgi` CLI runs one in every worker and adds them up
 * in the master (`--metrics`).
 *
 * The request path pays one `performance.now()`, one lookup of its label
 * set, a few additions, and a close listener for the in-flight gauge; the
 * rest happens when read.
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
  /** Every `http_server_active_requests` slot, in the order they were made. */
  private readonly activeSlots: ActiveSlot[] = [];

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
    const slot = this.http.slot(environ, status);
    if (refused === true) {
      const key = String(status);
      counts.refused[key] = (counts.refused[key] ?? 0) + 1;
      observe(slot.series, seconds, 0, bytes);
      return;
    }
    slot.requests.n++;
    counts.durationBuckets[bucketOf(DURATION_BUCKETS, seconds)]!++;
    counts.durationSum += seconds;
    counts.sentBytes += bytes;
    const received = receivedBytes(environ);
    counts.receivedBytes += received;
    observe(slot.series, seconds, received, bytes);
  };

  /** Counts the requests in flight on `listener` (its `'request'` event and their close). */
  attach(listener: RequestEvents): void {
    listener.on('request', (request) => {
      this.counts.inFlight++;
      const slot = this.activeSlot(request.method, request.scheme);
      slot.n++;
      request.onClose(slot.done);
    });
    const webSockets = listener.webSockets;
    if (webSockets !== undefined) this.webSocketSources.push(webSockets.bind(listener));
  }

  /**
   * The in-flight slot of a method and scheme, with the close listener that
   * counts a request out again (one per label set, made once: a request
   * makes no closure).
   */
  private activeSlot(method: string, scheme = 'http'): ActiveSlot {
    const entry = this.http.methods.entry(method);
    let slot = entry.active.get(scheme);
    if (slot === undefined) {
      const counts = this.counts;
      const made: ActiveSlot = {
        key: activeKey(entry.label, scheme),
        n: 0,
        done: () => {
          counts.inFlight--;
          made.n--;
        },
      };
      slot = made;
      entry.active.set(scheme, slot);
      this.activeSlots.push(slot);
    }
    return slot;
  }

  /**
   * Writes the counters kept outside `counts` (per label set, so a request
   * updates them without a keyed lookup) into it.
   */
  private settle(): void {
    const counts = this.counts;
    for (const counter of this.http.counters.values()) {
      if (counter.n > 0) counts.requests[counter.key] = counter.n;
    }
    for (const slot of this.activeSlots) counts.active[slot.key] = slot.n;
  }

  /** A copy of the counters, the RSS, and the event-loop delay since the last sample (which it resets). */
  sample(): ProcessSample {
    const delay = this.loopDelay.count > 0 ? this.loopDelay.percentile(99) / 1e9 : 0;
    this.loopDelay.reset();
    this.settle();
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
