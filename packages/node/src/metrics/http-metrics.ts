/**
 * The HTTP server metrics of OpenTelemetry's semantic conventions
 * (`docs/http/http-metrics.md`), as `/metrics` exposes them: the one table
 * of their names, instruments, units, buckets and labels. A test checks it
 * against `@opentelemetry/semantic-conventions`. The Prometheus name is the
 * OpenTelemetry name with dots as underscores and the unit as a suffix
 * (`s` → `_seconds`, `By` → `_bytes`, an annotation such as `{request}`
 * adds nothing), as OpenTelemetry's Prometheus compatibility rules say.
 */

/**
 * `http.server.request.duration`'s bucket boundaries in seconds, exactly
 * the ones the semantic conventions recommend (`+Inf` is implied).
 */
export const HTTP_DURATION_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/**
 * The body size histograms' bucket boundaries in bytes: powers of 4 from
 * 64 B to 16 MiB (the conventions recommend none). Ten buckets resolve the
 * sizes that matter for an HTTP service, from an empty or tiny JSON answer
 * through pages and uploads to bulk transfers past the default 1 MiB body
 * limit, at a factor of 4 apart, so a quantile is within that factor.
 */
export const HTTP_BODY_SIZE_BUCKETS: readonly number[] = [
  64, 256, 1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216,
];

/** The labels of one request's series, in the order `/metrics` renders them. */
export const HTTP_REQUEST_LABELS = [
  'http_request_method',
  'http_response_status_code',
  'url_scheme',
  'http_route',
  'network_protocol_version',
  'error_type',
] as const;

/** The labels of `http_server_active_requests` (the conventions' required attributes). */
export const HTTP_ACTIVE_LABELS = ['http_request_method', 'url_scheme'] as const;

/** One OpenTelemetry HTTP server metric as `/metrics` exposes it. */
export interface HttpMetricDefinition {
  /** The OpenTelemetry name, e.g. `http.server.request.duration`. */
  readonly otelName: string;
  /** The OpenTelemetry unit: `s`, `By` or an annotation such as `{request}`. */
  readonly unit: string;
  /** The OpenTelemetry instrument: `histogram` or `updowncounter` (a Prometheus gauge). */
  readonly instrument: 'histogram' | 'updowncounter';
  /** The Prometheus name. */
  readonly name: string;
  /** The Prometheus type. */
  readonly type: 'histogram' | 'gauge';
  /** A histogram's bucket boundaries. */
  readonly buckets?: readonly number[];
  /** The Prometheus labels: the attributes' names with dots as underscores. */
  readonly labels: readonly string[];
  /** The `# HELP` text. */
  readonly help: string;
}

/** Every OpenTelemetry HTTP server metric of `/metrics`, in the order it lists them. */
export const HTTP_METRICS: readonly HttpMetricDefinition[] = [
  {
    otelName: 'http.server.request.duration',
    unit: 's',
    instrument: 'histogram',
    name: 'http_server_request_duration_seconds',
    type: 'histogram',
    buckets: HTTP_DURATION_BUCKETS,
    labels: HTTP_REQUEST_LABELS,
    help: `OpenTelemetry http.server.request.duration: time from the request reaching the server to the end of its response, refusals included. Buckets: ${HTTP_DURATION_BUCKETS.join(', ')} s.`,
  },
  {
    otelName: 'http.server.active_requests',
    unit: '{request}',
    instrument: 'updowncounter',
    name: 'http_server_active_requests',
    type: 'gauge',
    labels: HTTP_ACTIVE_LABELS,
    help: 'OpenTelemetry http.server.active_requests: requests running now (as last reported by each worker).',
  },
  {
    otelName: 'http.server.request.body.size',
    unit: 'By',
    instrument: 'histogram',
    name: 'http_server_request_body_size_bytes',
    type: 'histogram',
    buckets: HTTP_BODY_SIZE_BUCKETS,
    labels: HTTP_REQUEST_LABELS,
    help: `OpenTelemetry http.server.request.body.size: request body bytes (the Content-Length, or of a chunked body the bytes the application read). Buckets: ${HTTP_BODY_SIZE_BUCKETS.join(', ')} B.`,
  },
  {
    otelName: 'http.server.response.body.size',
    unit: 'By',
    instrument: 'histogram',
    name: 'http_server_response_body_size_bytes',
    type: 'histogram',
    buckets: HTTP_BODY_SIZE_BUCKETS,
    labels: HTTP_REQUEST_LABELS,
    help: `OpenTelemetry http.server.response.body.size: response body bytes sent. Buckets: ${HTTP_BODY_SIZE_BUCKETS.join(', ')} B.`,
  },
];

/** The conventions' known methods and `_OTHER`: one list, in `@tsgi/spec`. */
export { HTTP_KNOWN_METHODS, HTTP_OTHER_METHOD } from '@tsgi/spec';

/** `error_type`'s value for a thrown value without a usable class name, or past the cap. */
export const HTTP_OTHER_ERROR_TYPE = '_OTHER';

/** `network_protocol_version` by `SERVER_PROTOCOL`; a protocol not here gets no label. */
export const HTTP_PROTOCOL_VERSIONS: Readonly<Record<string, string>> = {
  'HTTP/1.0': '1.0',
  'HTTP/1.1': '1.1',
  'HTTP/2': '2',
  'HTTP/2.0': '2',
  'HTTP/3': '3',
  'HTTP/3.0': '3',
};
