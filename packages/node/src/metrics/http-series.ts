import { HTTP_BODY_SIZE_BUCKETS, HTTP_DURATION_BUCKETS } from './http-metrics.js';

/**
 * The counts of one label set of the OpenTelemetry HTTP server histograms,
 * as plain JSON: per-bucket counts (not cumulative; one more entry than the
 * boundaries, for `+Inf`) and the sums. The duration's count is the count
 * of all three.
 */
export interface HttpSeriesCounts {
  /** Requests per `HTTP_DURATION_BUCKETS` bucket. */
  duration: number[];
  /** Sum of the durations, in seconds. */
  durationSum: number;
  /** Requests per `HTTP_BODY_SIZE_BUCKETS` bucket of their request body size. */
  requestBody: number[];
  /** Sum of the request body sizes, in bytes. */
  requestBodySum: number;
  /** Requests per `HTTP_BODY_SIZE_BUCKETS` bucket of their response body size. */
  responseBody: number[];
  /** Sum of the response body sizes, in bytes. */
  responseBodySum: number;
}

/** A series at zero. */
export function emptyHttpSeries(): HttpSeriesCounts {
  return {
    duration: new Array<number>(HTTP_DURATION_BUCKETS.length + 1).fill(0),
    durationSum: 0,
    requestBody: new Array<number>(HTTP_BODY_SIZE_BUCKETS.length + 1).fill(0),
    requestBodySum: 0,
    responseBody: new Array<number>(HTTP_BODY_SIZE_BUCKETS.length + 1).fill(0),
    responseBodySum: 0,
  };
}

/** The index of the bucket of `bounds` that holds `value` (`bounds.length` for `+Inf`). */
export function bucketOf(bounds: readonly number[], value: number): number {
  let bucket = 0;
  while (bucket < bounds.length && value > bounds[bucket]!) bucket++;
  return bucket;
}

/** Counts one request into `series`. */
export function observe(
  series: HttpSeriesCounts,
  seconds: number,
  requestBytes: number,
  responseBytes: number,
): void {
  series.duration[bucketOf(HTTP_DURATION_BUCKETS, seconds)]!++;
  series.durationSum += seconds;
  series.requestBody[bucketOf(HTTP_BODY_SIZE_BUCKETS, requestBytes)]!++;
  series.requestBodySum += requestBytes;
  series.responseBody[bucketOf(HTTP_BODY_SIZE_BUCKETS, responseBytes)]!++;
  series.responseBodySum += responseBytes;
}

function addInto(into: number[], from: readonly number[]): void {
  for (let i = 0; i < from.length; i++) into[i] = (into[i] ?? 0) + from[i]!;
}

/** Adds every series of `from` to the one of the same labels in `into` (in place). */
export function addHttpSeries(
  into: Record<string, HttpSeriesCounts>,
  from: Readonly<Record<string, HttpSeriesCounts>>,
): void {
  for (const [labels, series] of Object.entries(from)) {
    let sum = into[labels];
    if (sum === undefined) {
      sum = emptyHttpSeries();
      into[labels] = sum;
    }
    addInto(sum.duration, series.duration);
    sum.durationSum += series.durationSum;
    addInto(sum.requestBody, series.requestBody);
    sum.requestBodySum += series.requestBodySum;
    addInto(sum.responseBody, series.responseBody);
    sum.responseBodySum += series.responseBodySum;
  }
}
