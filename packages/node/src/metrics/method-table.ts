import { telemetryMethod } from '@tsgi/spec';
import type { HttpSeriesCounts } from './http-series.js';

const TSGI_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Distinct unknown request methods kept by their own name; further ones are looked up each time. */
const MAX_UNKNOWN_METHODS = 64;

/** A `tsgi_requests_total` counter: its `"<method class> <status class>"` key and count. */
export interface RequestCounter {
  readonly key: string;
  n: number;
}

/**
 * One label set of the HTTP server histograms, made once: its counts and
 * the `tsgi_requests_total` counter of its method and status class, so a
 * request finds all it counts into with one lookup.
 */
export interface HttpSlot {
  /** Its scheme and `network_protocol_version`, which tell the slots of one route apart. */
  readonly scheme: string;
  readonly protocol: string | undefined;
  /** Its counts, the object in the recorder's `series`. */
  readonly series: HttpSeriesCounts;
  /** The counter of its method and status class. */
  readonly requests: RequestCounter;
}

/** A request's in-flight count under one method label and scheme, with the close listener that counts it out. */
export interface ActiveSlot {
  /** `"<method label> <scheme>"`, the key of `counts.active`. */
  readonly key: string;
  /** Requests in flight now. */
  n: number;
  /** Counts one request out again (made once per slot: a request makes no closure). */
  readonly done: () => void;
}

/**
 * What the metrics keep per `http_request_method` label, shared by every
 * request method with that label (all unknown ones share `_OTHER`).
 */
export interface MethodEntry {
  /** The `http_request_method` label: the method when OpenTelemetry knows it, `_OTHER` otherwise. */
  readonly label: string;
  /** `tsgi_requests_total`'s key by status class digit: `"GET 2xx"`, `"other 4xx"`. */
  readonly requestKeys: readonly string[];
  /** The HTTP series slots by status, then by route (and error). */
  readonly byStatus: Map<number, Map<string | undefined, HttpSlot[]>>;
  /** The in-flight slots by scheme (`http` when the request has none). */
  readonly active: Map<string, ActiveSlot>;
}

/**
 * The entry of each request method, found with one map lookup by the
 * method as the request spelled it. Unknown methods share their label's
 * entry; past `MAX_UNKNOWN_METHODS` of them, new ones are not remembered,
 * so clients cannot grow the table.
 */
export class MethodTable {
  private readonly byMethod = new Map<string, MethodEntry>();
  private readonly byLabel = new Map<string, MethodEntry>();
  private unknown = 0;

  /** The entry of `method` (a request's `REQUEST_METHOD`). */
  entry(method: string): MethodEntry {
    return this.byMethod.get(method) ?? this.add(method);
  }

  private add(method: string): MethodEntry {
    const label = telemetryMethod(method);
    let entry = this.byLabel.get(label);
    if (entry === undefined) {
      // The tsgi method class: the seven standard methods as they are, any other `other`.
      const tsgiClass = TSGI_METHODS.has(label) ? label : 'other';
      entry = {
        label,
        requestKeys: Array.from({ length: 10 }, (_, c) => `${tsgiClass} ${c}xx`),
        byStatus: new Map(),
        active: new Map(),
      };
      this.byLabel.set(label, entry);
    }
    if (label === method || this.unknown < MAX_UNKNOWN_METHODS) {
      if (label !== method) this.unknown++;
      this.byMethod.set(method, entry);
    }
    return entry;
  }
}
