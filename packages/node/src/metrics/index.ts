/**
 * `@tsgi/node/metrics`: count the requests of a process (`MetricsCollector`,
 * given to `serve` as the `metrics` option) and serve them as Prometheus text
 * and JSON (`metricsApplication`). The `tsgi` CLI does both with `--metrics`.
 */
export { metricsApplication } from './application.js';
export { MetricsCollector } from './collector.js';
export { EXPOSITION_CONTENT_TYPE, renderExposition } from './exposition.js';
export {
  HTTP_BODY_SIZE_BUCKETS,
  HTTP_DURATION_BUCKETS,
  HTTP_KNOWN_METHODS,
  HTTP_METRICS,
  type HttpMetricDefinition,
} from './http-metrics.js';
export type { HttpSeriesCounts } from './http-series.js';
export {
  type HistogramSeries,
  METRICS,
  type MetricDefinition,
  type Series,
} from './registry.js';
export { DURATION_BUCKETS, type ProcessSample, type RequestCounts } from './sample.js';
export { type Stats, type StatsCounts, type StatsWorker, statsOf } from './stats.js';
export type {
  ExitReason,
  MetricsSource,
  MetricsView,
  WorkerView,
} from './view.js';
