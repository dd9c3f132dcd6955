/**
 * timing with its log line written to a file (`log:
 * fs.createWriteStream(path)`, batched through LineBuffer), head to head with
 * the same hello world on @tsgi/node without timing (bench/server.mjs, built
 * packages), and timing with `log: false` for reference. Goal (issue 30): the
 * log-to-file row serves at most 5 % fewer requests. Run
 * `pnpm --filter @tsgi/middleware-cors bench` after `pnpm build`; results go
 * to bench/RESULTS.md#middleware-timing-log-h2h.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { servedCost, servedGoal } from '../../../bench/goal.ts';
import type { Contender } from '../../../bench/harness.ts';
import { type HeadToHeadRow, runHeadToHead } from '../../../bench/head-to-head.ts';
import { withLogDir } from '../../../bench/log-files.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const versionOf = (dir: string) =>
  (JSON.parse(readFileSync(`${here}../../${dir}/package.json`, 'utf8')) as { version: string })
    .version;

const TO_FILE = 'timing, log to a file';
const QUIET = 'timing, log: false';

function verdicts(rows: HeadToHeadRow[]): string[] {
  const lines: string[] = [];
  const toFile = rows.find((row) => row.name === TO_FILE);
  const quiet = rows.find((row) => row.name === QUIET);
  if (toFile !== undefined) {
    lines.push(
      servedGoal(toFile, {
        issue: 30,
        what: 'timing with its log line (to a file)',
        against: 'the same app without timing',
        cost: 0.05,
      }),
    );
  }
  if (quiet !== undefined) {
    lines.push('', `For reference, timing without its log line: ${servedCost(quiet)}.`);
  }
  return lines;
}

await withLogDir('timing', (dir) => {
  const contender = (name: string, middleware: string, version: string): Contender => ({
    name,
    command: [process.execPath, 'server.mjs'],
    cwd: here,
    env: { BENCH_MIDDLEWARE: middleware, BENCH_LOG_DIR: dir },
    version,
  });
  return runHeadToHead({
    title:
      "timing's log line to a file, head to head with no middleware (hello world on @tsgi/node)",
    results: 'middleware-timing-log-h2h',
    contenders: [
      contender('no middleware', 'none', `@tsgi/node ${versionOf('node')}`),
      contender(
        TO_FILE,
        'timing-file',
        `@tsgi/middleware-timing ${versionOf('middleware-timing')}`,
      ),
      contender(QUIET, 'timing-quiet', 'the same without its log line'),
    ],
    notes: [
      '- every stack, the baseline too, answers a request with `Origin: https://app.example` (the app sets it when absent), as in the middleware table',
      '- timing at its defaults (`X-Process-Time` header, text log line `[HH:MM:SS] GET / → 0.1ms`), its `log` a `fs.createWriteStream` of a file in the system temporary directory: lines are batched by LineBuffer (one write per 64 KiB or 100 ms)',
    ],
    conclusions: verdicts,
  });
});
