import { quantile } from '../metrics/sample.js';
import type { Stats, StatsCounts } from '../metrics/stats.js';

/** The columns of `tsgi top`'s worker table, in order. */
export const TOP_COLUMNS = [
  'WORKER',
  'PID',
  'STATE',
  'REQUESTS',
  'RPS',
  'P50 MS',
  'P99 MS',
  'INFLIGHT',
  'RSS MB',
  'LOOP MS',
  'SEEN S',
] as const;

interface Interval {
  rps: string;
  p50: string;
  p99: string;
}

const fixed = (value: number | null, digits = 1) => (value === null ? '-' : value.toFixed(digits));

/**
 * Requests per second and p50/p99 between two readings of the same counts
 * (`-` when nothing was answered in between); without an earlier reading, the
 * quantiles since start and no rate.
 */
function interval(now: StatsCounts, before: StatsCounts | undefined, seconds: number): Interval {
  if (before === undefined || seconds <= 0) {
    return { rps: '-', p50: fixed(now.p50_ms), p99: fixed(now.p99_ms) };
  }
  const buckets = now.duration_buckets.map((n, i) => n - (before.duration_buckets[i] ?? 0));
  const q = (p: number) => {
    const seconds = quantile(buckets, p);
    return seconds === null ? null : seconds * 1000;
  };
  return {
    rps: fixed((now.requests - before.requests) / seconds),
    p50: fixed(q(0.5)),
    p99: fixed(q(0.99)),
  };
}

function uptime(seconds: number): string {
  const s = Math.floor(seconds);
  const [d, h, m] = [
    Math.floor(s / 86_400),
    Math.floor((s % 86_400) / 3600),
    Math.floor((s % 3600) / 60),
  ];
  return d > 0 ? `${d}d${h}h` : h > 0 ? `${h}h${m}m` : m > 0 ? `${m}m${s % 60}s` : `${s}s`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * The text of one `tsgi top` frame: a summary line, the exits by reason, and
 * a row per worker. Rates and quantiles cover the time since `previous` (the
 * reading a refresh earlier), or are since start without one.
 */
export function renderTop(stats: Stats, previous?: Stats): string {
  const seconds = previous === undefined ? 0 : stats.now - previous.now;
  const total = interval(stats.totals, previous?.totals, seconds);
  const refused = Object.values(stats.totals.refused).reduce((a, b) => a + b, 0);
  const lines = [
    `tsgi ${stats.mode} pid ${stats.pid}, up ${uptime(stats.now - stats.started_at)}, ${stats.workers.length} workers`,
    `requests ${stats.totals.requests}  rps ${total.rps}  p50 ${total.p50} ms  p99 ${total.p99} ms  in flight ${stats.totals.in_flight}  refused ${refused}`,
  ];
  if (stats.lifecycle !== null) {
    const exits = Object.entries(stats.lifecycle.exits)
      .map(([reason, n]) => `${reason} ${n}`)
      .join(', ');
    lines.push(`worker starts ${stats.lifecycle.starts}  exits: ${exits}`);
  }
  if (stats.listen_queue !== null) {
    lines.push(`listen queue ${stats.listen_queue.length} / ${stats.listen_queue.limit}`);
  }
  lines.push('');
  const rows: string[][] = [[...TOP_COLUMNS]];
  for (const w of stats.workers) {
    const before = previous?.workers.find((p) => p.pid === w.pid);
    const figures = interval(w, before, seconds);
    rows.push([
      String(w.id),
      String(w.pid),
      w.state,
      String(w.requests),
      figures.rps,
      figures.p50,
      figures.p99,
      String(w.in_flight),
      fixed(w.rss_bytes / 1024 / 1024),
      fixed(w.event_loop_delay_ms),
      fixed(Math.max(0, stats.now - w.last_seen)),
    ]);
  }
  lines.push(...table(rows));
  return `${lines.join('\n')}\n`;
}
