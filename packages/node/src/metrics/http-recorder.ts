import { telemetryMethod } from '@tsgi/spec';
import type { LogRequest } from '../contracts/access-log.js';
import { APP_ERROR, type MaybeFailed } from '../contracts/app-error.js';
import { HTTP_OTHER_ERROR_TYPE, HTTP_PROTOCOL_VERSIONS } from './http-metrics.js';
import { emptyHttpSeries, type HttpSeriesCounts } from './http-series.js';
import {
  type HttpSlot,
  type MethodEntry,
  MethodTable,
  type RequestCounter,
} from './method-table.js';

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

/**
 * Finds the label set of each request among those seen before: the
 * request's method entry (`MethodTable`), then maps keyed by what the
 * request carries (status, then route and error), then a short list by
 * scheme and protocol. A request of a label set seen before builds no
 * string; the label text is built once, when its series is created.
 * Unknown methods share the `_OTHER` entry, and an unmatched request has no
 * route, so clients cannot grow the series.
 */
export class HttpRecorder {
  /** Every series by its label text: the collector's `counts.http`. */
  readonly series: Record<string, HttpSeriesCounts>;
  /** Every method's label, tsgi keys and slots. */
  readonly methods = new MethodTable();
  /** The `tsgi_requests_total` counters by key. */
  readonly counters = new Map<string, RequestCounter>();
  private readonly errorTypes = new Set<string>();

  constructor(series: Record<string, HttpSeriesCounts>) {
    this.series = series;
  }

  /** The slot of a request the server answered with `status`. */
  slot(environ: LogRequest, status: number): HttpSlot {
    const env = environ as HttpEnviron;
    const entry = this.methods.entry(env.REQUEST_METHOD);
    let byRoute = entry.byStatus.get(status);
    if (byRoute === undefined) {
      byRoute = new Map();
      entry.byStatus.set(status, byRoute);
    }
    const pattern = env['tsgi.route']?.pattern;
    const route = typeof pattern === 'string' ? pattern : undefined;
    const failure = env[APP_ERROR];
    // A thrown error's class is part of the key: only failures build this string.
    const key = failure === undefined ? route : `${route ?? ''}\u0000${this.errorType(failure)}`;
    const scheme = env['tsgi.url_scheme'] ?? 'http';
    const protocol = HTTP_PROTOCOL_VERSIONS[env.SERVER_PROTOCOL];
    let slots = byRoute.get(key);
    if (slots === undefined) {
      slots = [];
      byRoute.set(key, slots);
    }
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      if (slot.scheme === scheme && slot.protocol === protocol) return slot;
    }
    const errorType =
      failure !== undefined ? this.errorType(failure) : status >= 500 ? String(status) : undefined;
    const slot = this.create(entry, status, scheme, route, protocol, errorType);
    slots.push(slot);
    return slot;
  }

  private create(
    entry: MethodEntry,
    status: number,
    scheme: string,
    route: string | undefined,
    protocol: string | undefined,
    errorType: string | undefined,
  ): HttpSlot {
    const text = seriesText(entry.label, status, scheme, route, protocol, errorType);
    const series = this.series[text] ?? emptyHttpSeries();
    this.series[text] = series;
    const key = entry.requestKeys[Math.floor(status / 100) % 10]!;
    let requests = this.counters.get(key);
    if (requests === undefined) {
      requests = { key, n: 0 };
      this.counters.set(key, requests);
    }
    return { scheme, protocol, series, requests };
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
