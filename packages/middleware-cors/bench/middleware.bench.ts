/**
 * Hello world through @tsgi/node: no middleware, timing (with and without its
 * log line), cors, both, and two rows that send the middlewares' headers from
 * the app itself (what those bytes cost apart from the middleware's code). Each
 * stack runs in its own process (bench/server.mjs, built packages), head to
 * head with the stack without middleware (bench/head-to-head.ts); the lines
 * under the table give each cost against the goal (≤ 5 % fewer requests
 * served), from the medians. Run `pnpm --filter @tsgi/middleware-cors bench`
 * after `pnpm build`; BENCH_H2H_DURATION / BENCH_H2H_ROUNDS / BENCH_CONNECTIONS
 * adjust it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Contender } from '../../../bench/harness.ts';
import { type HeadToHeadRow, runHeadToHead } from '../../../bench/head-to-head.ts';
import { describeRatio } from '../../../bench/results.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const versionOf = (dir: string) =>
  (JSON.parse(readFileSync(`${here}../../${dir}/package.json`, 'utf8')) as { version: string })
    .version;

const contender = (name: string, middleware: string, version: string): Contender => ({
  name,
  command: [process.execPath, 'server.mjs'],
  cwd: here,
  env: { BENCH_MIDDLEWARE: middleware },
  version,
});

const contenders = [
  contender('no middleware', 'none', `@tsgi/node ${versionOf('node')}`),
  contender('timing', 'timing', `@tsgi/middleware-timing ${versionOf('middleware-timing')}`),
  contender('timing, log: false', 'timing-quiet', 'the same without its log line'),
  contender("timing's 2 headers, sent by the app", 'timing-headers', 'no middleware'),
  contender('cors', 'cors', `@tsgi/middleware-cors ${versionOf('middleware-cors')}`),
  contender("cors's 4 headers, sent by the app", 'cors-headers', 'no middleware'),
  contender('cors + timing', 'both', 'both of them'),
];
/** Each middleware and the row that sends its headers without it. */
const ownCost: [string, string][] = [
  ['timing', "timing's 2 headers, sent by the app"],
  ['timing, log: false', "timing's 2 headers, sent by the app"],
  ['cors', "cors's 4 headers, sent by the app"],
];

const GOAL = 0.05;
const served = (ratio: number) => describeRatio(ratio, 'requests served', ['more', 'fewer']);
const cpu = (ratio: number) => describeRatio(ratio, 'CPU per request', ['more', 'less']);

/** One line per row (against the goal for a single middleware), then each middleware's own code. */
function verdicts(rows: HeadToHeadRow[]): string[] {
  const single = new Set(ownCost.map(([name]) => name));
  const lines = [
    `From the medians above; the goal: each middleware serves at most ${GOAL * 100} % fewer requests.`,
    '',
    ...rows.map(
      (row) =>
        `- ${row.name}: ${served(row.ratio)} than no middleware${single.has(row.name) ? ` (goal ${1 - row.ratio <= GOAL ? 'met' : 'missed'})` : ''}, ${cpu(row.cpuRatio)}`,
    ),
  ];
  for (const [name, headersOnly] of ownCost) {
    const row = rows.find((r) => r.name === name);
    const base = rows.find((r) => r.name === headersOnly);
    if (row === undefined || base === undefined) continue;
    lines.push(
      `- ${name}, its own code (its median ÷ that of ${headersOnly}): ${served(row.ratio / base.ratio)}, ${cpu(row.cpuRatio / base.cpuRatio)}`,
    );
  }
  return lines;
}

await runHeadToHead({
  title: 'Middleware cost head to head with no middleware (hello world on @tsgi/node)',
  results: 'middleware-h2h',
  contenders,
  notes: ['- every stack, the baseline too, answers a request with `Origin: https://app.example`'],
  conclusions: verdicts,
});
