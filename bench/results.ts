/**
 * The one place benchmark figures are written: `bench/RESULTS.md`.
 *
 * Each benchmark owns sections of that file, between the markers
 * `<!-- results:ID -->` and `<!-- /results:ID -->`, and rewrites only its own
 * when it runs, with the date, the Node version, the machine and the load
 * average before the run above its table. A section starts with `<a id="ID">`,
 * so a README links to `bench/RESULTS.md#ID`. READMEs state goals and link
 * here; they never copy a figure. A table the rule of trust.ts refuses is
 * printed only, and its section is left as it was.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunContext, runHeader } from './machine.ts';
import { MAX_SPREAD, type Measured, MIN_ROUNDS, refusals } from './trust.ts';

/** Path of `bench/RESULTS.md`. */
export const RESULTS_FILE = join(dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');

const PREAMBLE = `# Benchmark results

Written by \`pnpm bench\` (each benchmark rewrites its own sections); do not edit by hand.
Every table is measured head to head (both contenders at once, pinned to one CPU, fresh
processes each round) and shows ratios, each with its median and its range over the rounds.
A table is written only when the 1-minute load average before the run was at most the CPU
count, it rests on at least ${MIN_ROUNDS} rounds, and every range lies within ±${MAX_SPREAD * 100} % of its
median; otherwise the run prints it and the section below stays as it was.
How each is measured: [bench/README.md](README.md).
`;

/** One table for RESULTS.md, with what the rule judges it by. */
export interface Section {
  /** The section's id (`[a-z0-9-]+`), or `undefined` to print only (a narrowed run). */
  id: string | undefined;
  title: string;
  /** The table and its notes. */
  markdown: string;
  /** The machine and its load before the run (`beginRun()`). */
  run: RunContext;
  /** What the table rests on: rounds, pinning, errors, every ratio per round. */
  measured: Measured;
}

/** What became of a section: written, printed only (by choice), or refused (with the reasons). */
export type Outcome =
  | { kind: 'written' }
  | { kind: 'printed'; why: string }
  | { kind: 'refused'; reasons: string[] };

/**
 * Replaces (or appends) section `id` of the results text `current` (a new
 * file's preamble when `undefined`); the preamble is brought up to date.
 */
export function replaceSection(current: string | undefined, id: string, content: string): string {
  const open = `<!-- results:${id} -->`;
  const close = `<!-- /results:${id} -->`;
  const section = `${open}\n<a id="${id}"></a>\n\n${content.trim()}\n${close}`;
  const text = current ?? PREAMBLE;
  const first = text.indexOf('<!-- results:');
  const body = first === -1 ? '' : text.slice(first);
  const start = body.indexOf(open);
  const end = body.indexOf(close);
  const next =
    start !== -1 && end > start
      ? body.slice(0, start) + section + body.slice(end + close.length)
      : `${body.trimEnd()}\n\n${section}\n`;
  return `${PREAMBLE}\n${next.trim()}\n`;
}

/**
 * Prints `section` and writes it to `file` (bench/RESULTS.md) when the rule of
 * trust.ts accepts it; a refused or print-only section leaves the file as it
 * was. `BENCH_NO_RESULTS=1` prints only.
 *
 * @example
 * publishResults({ id: 'node-servers-h2h', title, markdown, run: await beginRun(), measured });
 */
export function publishResults(section: Section, file = RESULTS_FILE): Outcome {
  const { id, title, markdown, run } = section;
  if (id !== undefined && !/^[a-z0-9-]+$/.test(id))
    throw new Error(`results section id ${JSON.stringify(id)} must be [a-z0-9-]+`);
  const content = `## ${title}\n\n${runHeader(run)}\n\n${markdown.trim()}`;
  console.log(`\n${content}\n`);
  const outcome = decide(section);
  if (outcome.kind === 'written') {
    const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    writeFileSync(file, replaceSection(current, id!, content));
    console.log(`written to ${file}#${id}`);
  } else if (outcome.kind === 'printed') {
    console.log(`printed only: ${outcome.why}`);
  } else {
    console.log(
      `NOT written to RESULTS.md#${id}, which is left as it was:\n${outcome.reasons.map((r) => `- ${r}`).join('\n')}`,
    );
  }
  return outcome;
}

/** A head-to-head runner's table (head-to-head.ts, in-process.ts), for {@link publishTable}. */
export interface RunnerTable {
  /** The section's id, or `undefined` to print only. */
  id: string | undefined;
  run: RunContext;
  table: string;
  /** The lines under the table. */
  notes: string[];
  measured: Measured;
}

/**
 * Publishes (`publishResults`) a runner's `table` under the title of its
 * `options`, with the notes under it and, after a blank line, the
 * conclusions `options` draws from `rows`.
 */
export function publishTable<Row>(
  options: { title: string; conclusions?: (rows: Row[]) => string[] },
  rows: Row[],
  { id, run, table, notes, measured }: RunnerTable,
): Outcome {
  const conclusions = options.conclusions === undefined ? [] : ['', ...options.conclusions(rows)];
  return publishResults({
    id,
    title: options.title,
    markdown: `${table}\n\n${[...notes, ...conclusions].join('\n')}`,
    run,
    measured,
  });
}

function decide({ id, run, measured }: Section): Outcome {
  if (id === undefined) return { kind: 'printed', why: 'no section for this run (narrowed)' };
  if (process.env.BENCH_NO_RESULTS === '1') return { kind: 'printed', why: 'BENCH_NO_RESULTS=1' };
  const reasons = refusals(run, measured);
  return reasons.length === 0 ? { kind: 'written' } : { kind: 'refused', reasons };
}

/**
 * A Markdown table: the first `labels` columns (default 1) left-aligned, the
 * others right-aligned (figures). The one table renderer of the benchmarks.
 *
 * @example
 * markdownTable(['server', 'requests served'], [['fastify', '0.97×']]);
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

/** A ratio for a table: two decimals, or two significant digits below 0.1. */
export function formatRatio(value: number): string {
  return value >= 0.1 || value === 0 ? value.toFixed(2) : value.toPrecision(2);
}

/** The range of per-round ratios, `min–max`. */
export function formatRange(values: number[]): string {
  return `${formatRatio(Math.min(...values))}–${formatRatio(Math.max(...values))}`;
}

/**
 * A ratio as a correctly signed sentence: `describeRatio(0.79, 'requests
 * served', ['more', 'fewer'])` is `'21.0 % fewer requests served'`,
 * `describeRatio(1.11, 'CPU per request', ['more', 'less'])` is `'11.0 % more
 * CPU per request'`, and a ratio within 0.05 % of 1 is `'no difference in …'`.
 */
export function describeRatio(
  ratio: number,
  noun: string,
  [more, fewer]: [string, string],
): string {
  const percent = (Math.abs(ratio - 1) * 100).toFixed(1);
  if (percent === '0.0') return `no difference in ${noun}`;
  return `${percent} % ${ratio > 1 ? more : fewer} ${noun}`;
}
