import type { HeaderList } from '@tsgi/spec';
import type { ResolvedTimingOptions } from './options.js';

function indexOfHeader(headers: HeaderList, lowerName: string): number {
  for (let i = 0; i < headers.length; i++) {
    const name = headers[i]![0];
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) return i;
  }
  return -1;
}

/** True when a `Server-Timing` value already names `metric` (`app`, `app;dur=1`, `db, app;desc=x`). */
function hasMetric(value: string, metric: string): boolean {
  const lower = metric.toLowerCase();
  for (const part of value.split(',')) {
    const name = part.split(';', 1)[0]!.trim().toLowerCase();
    if (name === lower) return true;
  }
  return false;
}

/**
 * The headers to send: the app's list (never mutated; it may be a shared
 * constant) plus the timing header and `Server-Timing` metric, each only when
 * the app did not already set it. A `Server-Timing` the app set gets our
 * metric appended to its value rather than a second header line.
 */
export function withTimingHeaders(
  headers: HeaderList,
  elapsedMs: number,
  options: ResolvedTimingOptions,
): HeaderList {
  let out = headers;
  const value = elapsedMs.toFixed(options.digits);
  if (options.headerLower !== undefined && indexOfHeader(headers, options.headerLower) === -1) {
    out = headers.slice();
    out.push([options.header!, value]);
  }
  const metric = options.serverTimingMetric;
  if (metric !== undefined) {
    const entry = `${metric};dur=${value}`;
    const at = indexOfHeader(out, 'server-timing');
    if (at === -1) {
      if (out === headers) out = headers.slice();
      out.push(['Server-Timing', entry]);
    } else {
      const [name, existing] = out[at]!;
      if (!hasMetric(existing, metric)) {
        if (out === headers) out = headers.slice();
        out[at] = [name, existing.trim() === '' ? entry : `${existing}, ${entry}`];
      }
    }
  }
  return out;
}
