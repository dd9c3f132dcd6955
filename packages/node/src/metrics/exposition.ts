import { type HistogramSeries, METRICS, type MetricDefinition } from './registry.js';
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

function histogramLines(
  name: string,
  bounds: readonly number[],
  series: HistogramSeries[],
): string[] {
  const lines: string[] = [];
  for (const { labels, counts, sum } of series) {
    const before = labels === '' ? '' : `${labels},`;
    const own = labels === '' ? '' : `{${labels}}`;
    let cumulative = 0;
    counts.forEach((n, i) => {
      cumulative += n;
      const le = i < bounds.length ? String(bounds[i]) : '+Inf';
      lines.push(`${name}_bucket{${before}le="${le}"} ${cumulative}`);
    });
    lines.push(`${name}_sum${own} ${sum}`, `${name}_count${own} ${cumulative}`);
  }
  return lines;
}

function familyLines(metric: MetricDefinition, view: MetricsView): string[] {
  const lines =
    metric.histograms !== undefined
      ? histogramLines(metric.name, metric.buckets ?? [], metric.histograms(view))
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
