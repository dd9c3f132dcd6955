import { formatMs } from './format-ms.js';
import type { TimingEntry } from './options.js';

function twoDigits(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

// Local-time getters are slow; the `[HH:MM:SS]` of a given second never
// changes, so the last one is kept.
let cachedSecond = Number.NaN;
let cachedClock = '';

/** `[HH:MM:SS]` in local time for an epoch time in milliseconds. */
function clock(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== cachedSecond) {
    const d = new Date(second * 1000);
    cachedClock = `[${twoDigits(d.getHours())}:${twoDigits(d.getMinutes())}:${twoDigits(d.getSeconds())}]`;
    cachedSecond = second;
  }
  return cachedClock;
}

/**
 * The tutorial's line, `[HH:MM:SS] GET /health → 0.1ms`: the local time the
 * request started (`startTime`, epoch ms), method, path, and the total time
 * (streaming included) in milliseconds with one decimal. A request id adds
 * ` id=<id>`, an error ` (error: <message>)`, else a body closed early
 * ` (aborted)`. `end` is appended (`'\n'` for a stream, `''` for a line alone).
 */
export function textLine(
  startTime: number,
  method: string,
  path: string,
  totalMs: number,
  requestId: string | undefined,
  aborted: boolean,
  error: unknown,
  end: string,
): string {
  // One decimal without toFixed: whole and tenths of the rounded tenths.
  const tenths = Math.round(totalMs * 10);
  const whole = Math.floor(tenths / 10);
  const fraction = tenths - whole * 10;
  if (requestId === undefined && error === undefined && !aborted) {
    return `${clock(startTime)} ${method} ${path} → ${whole}.${fraction}ms${end}`;
  }
  let line = `${clock(startTime)} ${method} ${path} → ${whole}.${fraction}ms`;
  if (requestId !== undefined) line += ` id=${requestId}`;
  if (error !== undefined) line += ` (error: ${errorMessage(error)})`;
  else if (aborted) line += ' (aborted)';
  return line + end;
}

let cachedMs = Number.NaN;
let cachedIso = '';

/** ISO 8601 in UTC; the last one is kept, since requests often share a millisecond. */
function isoTime(epochMs: number): string {
  const ms = Math.floor(epochMs);
  if (ms !== cachedMs) {
    cachedIso = new Date(ms).toISOString();
    cachedMs = ms;
  }
  return cachedIso;
}

/**
 * One JSON object: `time` (ISO 8601, UTC), `method`, `path`, `status`,
 * `processMs`, `totalMs` (both rounded to `digits`), then `requestId`,
 * `aborted` and `error` only when they apply. Built by hand (strings still go
 * through `JSON.stringify`), as `JSON.stringify` of a whole record costs more
 * than the rest of the middleware.
 */
export function jsonLine(entry: TimingEntry, digits: number): string {
  let line = `{"time":"${isoTime(entry.startTime)}","method":${JSON.stringify(entry.method)},"path":${JSON.stringify(entry.path)},"status":${entry.status === undefined || Number.isNaN(entry.status) ? 'null' : entry.status},"processMs":${entry.processMs === undefined ? 'null' : round(entry.processMs, digits)},"totalMs":${round(entry.totalMs, digits)}`;
  if (entry.requestId !== undefined) line += `,"requestId":${JSON.stringify(entry.requestId)}`;
  if (entry.aborted) line += ',"aborted":true';
  if (entry.error !== undefined) line += `,"error":${JSON.stringify(errorMessage(entry.error))}`;
  return `${line}}`;
}

/** `ms` rounded to `digits`, as JSON number text (no trailing zeros, `0.1` not `0.10`). */
function round(ms: number, digits: number): string {
  return String(Number(formatMs(ms, digits)));
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
