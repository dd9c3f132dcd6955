/**
 * The cost of the JSON access log (`tsgi --access-log json`, the option
 * `accessLog: 'json'`) written to a file: the @tsgi/node contender of the
 * servers table (small JSON answer, keep-alive) with the log on, its stream a
 * file written with fs.writeSync as process.stdout writes one, head to head
 * with the same server without it. Goal (issue 30): at most 5 % fewer
 * requests served. Run with `pnpm --filter @tsgi/node bench:access-log`
 * (after a build); results go to bench/RESULTS.md#node-access-log-h2h.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { servedGoal } from '../../../bench/goal.ts';
import type { Contender } from '../../../bench/harness.ts';
import { runHeadToHead } from '../../../bench/head-to-head.ts';
import { withLogDir } from '../../../bench/log-files.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const own = JSON.parse(readFileSync(`${here}../package.json`, 'utf8')) as { version: string };
const ON = 'access log json, to a file';

await withLogDir('access-log', (dir) => {
  const tsgi = (name: string, log: boolean): Contender => ({
    name,
    command: [process.execPath, 'servers/tsgi.mjs'],
    cwd: here,
    env: { BENCH_ACCESS_LOG: log ? 'json' : 'off', BENCH_LOG_DIR: dir },
    version: `@tsgi/node ${own.version}${log ? " with serve(app, { accessLog: 'json', accessLogStream })" : ''}`,
  });
  return runHeadToHead({
    title: '@tsgi/node with the JSON access log to a file against no access log (head to head)',
    results: 'node-access-log-h2h',
    contenders: [tsgi('access log off', false), tsgi(ON, true)],
    notes: [
      "- `accessLog: 'json'` is what `tsgi --access-log json` passes to every worker, with process.stdout as the stream; here the stream is a Writable over a file in the system temporary directory that writes each chunk with `fs.writeSync`, which is what process.stdout is when it is redirected to a file (`> access.log`); lines are batched by LineBuffer (one write per 64 KiB or 100 ms)",
    ],
    conclusions: (rows) =>
      rows
        .filter((row) => row.name === ON)
        .map((row) =>
          servedGoal(row, {
            issue: 30,
            what: '`--access-log json` (to a file)',
            against: 'the same server without it',
            cost: 0.05,
          }),
        ),
  });
});
