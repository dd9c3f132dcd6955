import { telemetryMethod } from '@tsgi/spec';
import type { LogRequest } from '../contracts/access-log.js';
import { APP_ERROR, type MaybeFailed } from '../contracts/app-error.js';
import { HTTP_OTHER_ERROR_TYPE, HTTP_PROTOCOL_VERSIONS } from './http-metrics.js';
import { emptyHttpSeries, type HttpSeriesCounts, observe } from './http-series.js';

/** What the recorder reads of a request besides `LogRequest`, after the app ran. */
type HttpEnviron = LogRequest &
  MaybeFailed & {
    'tsgi.url_scheme'?: string;
    'tsgi.route'?: { pattern?: unknown } | undefined;
  };

/** Distinct `error_type` class names kept per process; further ones count as `_OTHER`. */
const MAX_ERROR_TYPES = 32;

function escapeLabel(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** `name="value"`, escaped; `''` without a value. */
function pair(name: string, value: string | undefined): string {
  return value === undefined ? '' : `${name}="${escapeLabel(value)}"`;
}

/** The label text of one series, in `HTTP_REQUEST_LABELS`' order. */
function seriesText(
  method: string,
  status: number,
  scheme: string,
  route: string | undefined,
  protocol: string | undefined,
  errorType: string | undefined,
): string {
  return [
    pair('http_request_method', method),
    pair('http_response_status_code', String(status)),
    pair('url_scheme', scheme),
    pair('http_route', route),
    pair('network_protocol_version', protocol),
    pair('error_type', errorType),
  ]
    .filter((p) => p !== '')
    .join(',');
}

/** The key of an `http_server_active_requests` series: `"<method label> <scheme>"`. */
export function activeKey(label: string, scheme: string | undefined): string {
  return `${label} ${scheme ?? 'http'}`;
}

/** `http_request_method`: a known method as it is, any other `_OTHER`. */
export function methodLabel(method: string): string {
  return telemetryMethod(method);
}

/** The series of one method, scheme and protocol, by status, then by route (and error). */
type ByStatus = Map<number, Map<string | undefined, HttpSeriesCounts>>;

/**
 * Counts requests into the OpenTelemetry HTTP server histograms of one
 * process. Each label set's counts are found through maps keyed by what the
 * request carries (method, scheme, protocol, status, route), so a request
 * of a label set seen before builds no string; the label text is built once,
 * when its series is created. Unknown methods share the `_OTHER` entry, and
 * an unmatched request has no route, so clients cannot grow the series.
 */
export class HttpRecorder {
  /** Every series by its label text: the collector's `counts.http`. */
  readonly series: Record<string, HttpSeriesCounts>;
  private readonly methods = new Map<string, Map<string, Map<string, ByStatus>>>();
  private readonly errorTypes = new Set<string>();

  constructor(series: Record<string, HttpSeriesCounts>) {
    this.series = series;
  }

  /** Counts one request the application answered. */
  record(
    environ: LogRequest,
    status: number,
    seconds: number,
    requestBytes: number,
    responseBytes: number,
  ): void {
    const env = environ as HttpEnviron;
    const method = methodLabel(env.REQUEST_METHOD);
    const scheme = env['tsgi.url_scheme'] ?? 'http';
    const protocol = HTTP_PROTOCOL_VERSIONS[env.SERVER_PROTOCOL];
    let bySchemes = this.methods.get(method);
    if (bySchemes === undefined) {
      bySchemes = new Map();
      this.methods.set(method, bySchemes);
    }
    let byProtocol = bySchemes.get(scheme);
    if (byProtocol === undefined) {
      byProtocol = new Map();
      bySchemes.set(scheme, byProtocol);
    }
    let byStatus = byProtocol.get(protocol ?? '');
    if (byStatus === undefined) {
      byStatus = new Map();
      byProtocol.set(protocol ?? '', byStatus);
    }
    let byRoute = byStatus.get(status);
    if (byRoute === undefined) {
      byRoute = new Map();
      byStatus.set(status, byRoute);
    }
    const pattern = env['tsgi.route']?.pattern;
    const route = typeof pattern === 'string' ? pattern : undefined;
    const failure = env[APP_ERROR];
    // A thrown error's class is part of the key: only failures build this string.
    const key = failure === undefined ? route : `${route ?? ''}\u0000${this.errorType(failure)}`;
    let counts = byRoute.get(key);
    if (counts === undefined) {
      const errorType =
        failure !== undefined
          ? this.errorType(failure)
          : status >= 500
            ? String(status)
            : undefined;
      const text = seriesText(method, status, scheme, route, protocol, errorType);
      counts = this.series[text] ?? emptyHttpSeries();
      this.series[text] = counts;
      byRoute.set(key, counts);
    }
    observe(counts, seconds, requestBytes, responseBytes);
  }

  /**
   * `error_type` of what the application threw: its class name (`TypeError`,
   * a class of the app's own), `_OTHER` for a value without one or past the
   * first `MAX_ERROR_TYPES` names.
   */
  private errorType(failure: unknown): string {
    const name = (failure as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    if (typeof name !== 'string' || !/^[A-Za-z_$][\w$]{0,63}$/.test(name))
      return HTTP_OTHER_ERROR_TYPE;
    if (this.errorTypes.has(name)) return name;
    if (this.errorTypes.size >= MAX_ERROR_TYPES) return HTTP_OTHER_ERROR_TYPE;
    this.errorTypes.add(name);
    return name;
  }
}
