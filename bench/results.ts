/**
 * The one place benchmark figures are written: `bench/RESULTS.md`.
 *
 * Each benchmark owns one section of that file, between the markers
 * `<!-- results:ID -->` and `<!-- /results:ID -->`, and rewrites only its own
 * section when it runs, with the date, the Node version, the machine and the
 * load average above its table. A section starts with `<a id="ID">`, so a
 * README links to `bench/RESULTS.md#ID`. READMEs state goals and link here; they never
 * copy a figure.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Path of `bench/RESULTS.md`. */
export const RESULTS_FILE = join(dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');

const PREAMBLE = `# Benchmark results

Written by \`pnpm bench\` (each benchmark rewrites its own section); do not edit by hand.
Ratios are taken within one run; on a shared machine, trust them over absolute figures.
How each is measured: [bench/README.md](README.md).
`;

/** The line under a section's heading: when, on what, under which load. */
export function runContext(now: Date = new Date()): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
  return `Run ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC · Node ${process.version} · ${cpus().length} × ${cpu} · load average ${load}`;
}

/**
 * Replaces (or appends) the section `id` of `bench/RESULTS.md` with `title`,
 * the run context and `markdown`. Set `BENCH_NO_RESULTS=1` to print only.
 *
 * @example
 * recordResults('node-h2h', '@tsgi/node against raw node:http', table);
 */
export function recordResults(
  id: string,
  title: string,
  markdown: string,
  file = RESULTS_FILE,
): void {
  if (!/^[a-z0-9-]+$/.test(id))
    throw new Error(`results section id ${JSON.stringify(id)} must be [a-z0-9-]+`);
  if (process.env.BENCH_NO_RESULTS === '1') return;
  const open = `<!-- results:${id} -->`;
  const close = `<!-- /results:${id} -->`;
  // The anchor lets READMEs link to RESULTS.md#<id>, whatever the title becomes.
  const section = `${open}\n<a id="${id}"></a>\n\n## ${title}\n\n${runContext()}\n\n${markdown.trim()}\n${close}`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : PREAMBLE;
  const start = current.indexOf(open);
  const end = current.indexOf(close);
  const next =
    start !== -1 && end > start
      ? current.slice(0, start) + section + current.slice(end + close.length)
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}

/**
 * A Markdown table: the first `labels` columns (default 1) left-aligned, the
 * others right-aligned (figures). The one table renderer of the benchmarks.
 *
 * @example
 * markdownTable(['server', 'req/s'], [['node:http', '46,795']]);
 */
export function markdownTable(
  headers: string[],
  rows: Array<Array<string | number>>,
  labels = 1,
): string {
  const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  const rule = `|${headers.map((_, i) => (i < labels ? '---' : '---:')).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/**
 * Prints a benchmark's report (title, run context, `markdown`) and, unless
 * `id` is `undefined`, records it as section `id` of `bench/RESULTS.md`.
 */
export function publishResults(id: string | undefined, title: string, markdown: string): void {
  console.log(`\n## ${title}\n\n${runContext()}\n\n${markdown.trim()}\n`);
  if (id !== undefined) recordResults(id, title, markdown);
}
