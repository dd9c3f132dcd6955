import { METRICS, type MetricDefinition } from './registry.js';
import { DURATION_BUCKETS } from './sample.js';
import type { MetricsView } from './view.js';

/** The `Content-Type` of the Prometheus text exposition format. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function escapeLabel(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

function labelText(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

function histogramLines(name: string, view: MetricsView): string[] {
  const lines: string[] = [];
  let cumulative = 0;
  view.totals.durationBuckets.forEach((n, i) => {
    cumulative += n;
    const le = i < DURATION_BUCKETS.length ? String(DURATION_BUCKETS[i]) : '+Inf';
    lines.push(`${name}_bucket{le="${le}"} ${cumulative}`);
  });
  lines.push(`${name}_sum ${view.totals.durationSum}`, `${name}_count ${cumulative}`);
  return lines;
}

function familyLines(metric: MetricDefinition, view: MetricsView): string[] {
  const lines =
    metric.type === 'histogram'
      ? histogramLines(metric.name, view)
      : metric.read(view).map((s) => `${metric.name}${labelText(s.labels)} ${s.value}`);
  if (lines.length === 0) return [];
  return [`# HELP ${metric.name} ${metric.help}`, `# TYPE ${metric.name} ${metric.type}`, ...lines];
}

/**
 * `view` in the Prometheus text exposition format (version 0.0.4), every
 * family of `METRICS` that has a value, with its `# HELP` and `# TYPE`.
 */
export function renderExposition(view: MetricsView): string {
  const lines: string[] = [];
  for (const metric of METRICS) lines.push(...familyLines(metric, view));
  return `${lines.join('\n')}\n`;
}
