import { appendToken, type HeaderList } from '@tsgi/spec';
import { formatMs } from './format-ms.js';
import type { ResolvedTimingOptions } from './options.js';

/**
 * The headers to send: the app's list (never mutated; it may be a shared
 * constant) plus the timing header and `Server-Timing` metric, each only when
 * the app did not already set it. A `Server-Timing` the app set gets our
 * metric appended to its value (`appendToken`) rather than a second header
 * line, unless it already names the metric.
 */
export function withTimingHeaders(
  headers: HeaderList,
  elapsedMs: number,
  options: ResolvedTimingOptions,
): HeaderList {
  const own = options.headerLower;
  const metric = options.serverTimingMetric;
  // One pass: where the app already has our header and Server-Timing, if at all.
  let ownAt = -1;
  let timingAt = -1;
  for (let i = 0; i < headers.length; i++) {
    const name = headers[i]![0];
    if (own !== undefined && ownAt === -1 && sameName(name, own)) {
      ownAt = i;
    } else if (metric !== undefined && timingAt === -1 && sameName(name, 'server-timing')) {
      timingAt = i;
    }
  }
  const value = formatMs(elapsedMs, options.digits);
  const addOwn = own !== undefined && ownAt === -1;
  const addTiming = metric !== undefined && timingAt === -1;
  if (!addOwn && metric === undefined) return headers;
  // One copy of the final size: slice() then push() would allocate twice.
  const length = headers.length;
  const out: HeaderList = new Array(length + (addOwn ? 1 : 0) + (addTiming ? 1 : 0));
  for (let i = 0; i < length; i++) out[i] = headers[i]!;
  let next = length;
  if (addOwn) out[next++] = [options.header!, value];
  if (metric !== undefined) {
    const entry = `${metric};dur=${value}`;
    if (addTiming) out[next] = ['Server-Timing', entry];
    else appendToken(out, 'Server-Timing', entry);
  }
  return out;
}

/**
 * Whether header `name` is `lower` (a lower-case name) in any letter case,
 * without the string `toLowerCase()` would allocate for every header of
 * every response.
 */
function sameName(name: string, lower: string): boolean {
  const length = lower.length;
  if (name.length !== length) return false;
  for (let i = 0; i < length; i++) {
    let c = name.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}
