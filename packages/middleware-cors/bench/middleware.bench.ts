/**
 * Hello world through @tsgi/node: no middleware, timing (with and without its
 * log line), cors, both, and two rows that send the middlewares' headers from
 * the app itself (what those bytes cost apart from the middleware's code). Each
 * contender runs in its own process (bench/server.mjs, built packages) and the
 * shared harness alternates them. Run `pnpm --filter @tsgi/middleware-cors bench`
 * after `pnpm build`; BENCH_DURATION / BENCH_ROUNDS / BENCH_CONNECTIONS adjust it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Contender, runBench } from '../../../bench/harness.ts';
import { headToHeadNarrowed, runHeadToHead } from '../../../bench/head-to-head.ts';
import { publishResults } from '../../../bench/results.ts';

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

const rows = await runBench({
  title: 'Middleware cost: hello world on @tsgi/node (Origin: https://app.example)',
  results: 'middleware-http',
  contenders,
});

/** The verdicts, against the goal of ≤ 5 % per middleware, one line each. */
const verdicts: string[] = [];
const base = rows[0];
for (const row of base === undefined ? [] : rows.slice(1)) {
  const throughputCost = (1 - row.requestsPerSecond / base.requestsPerSecond) * 100;
  const cpuCost = (row.cpuPerRequest / base.cpuPerRequest - 1) * 100;
  verdicts.push(
    `- ${row.name}, sequential: ${throughputCost.toFixed(1)}% less throughput, ${cpuCost.toFixed(1)}% more server CPU per request`,
  );
}

const pairs = await runHeadToHead({
  title: 'Middleware cost head to head with no middleware (same hello world)',
  results: 'middleware-h2h',
  contenders,
});
for (const row of pairs) {
  verdicts.push(
    `- ${row.name}, head to head: ${((1 - row.ratio) * 100).toFixed(1)}% fewer requests served, ${((row.cpuRatio - 1) * 100).toFixed(1)}% more CPU per request`,
  );
}
// The middleware's own code: its row against the row sending the same headers.
for (const [name, headersOnly] of ownCost) {
  const row = pairs.find((p) => p.name === name);
  const base = pairs.find((p) => p.name === headersOnly);
  if (row === undefined || base === undefined) continue;
  verdicts.push(
    `- ${name}, its own code (vs ${headersOnly}): ${((1 - row.ratio / base.ratio) * 100).toFixed(1)}% fewer requests served, ${((row.cpuRatio / base.cpuRatio - 1) * 100).toFixed(1)}% more CPU per request`,
  );
}
publishResults(
  rows.length === 0 || pairs.length === 0 || headToHeadNarrowed()
    ? undefined
    : 'middleware-verdicts',
  'Middleware cost against the goal (≤ 5 % per middleware), from the two tables above',
  verdicts.join('\n'),
);
