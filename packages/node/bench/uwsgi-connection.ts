/**
 * The uwsgi listener's per-connection cost, head to head with its floor.
 * Nginx's uwsgi_pass opens a new connection for every request (the protocol
 * has no keep-alive), so what a uwsgi listener costs per connection decides
 * its throughput behind Nginx. Contenders (bench/uwsgi/), each a server in its
 * own child process on loopback TCP:
 *
 * - `bare net.Server`, the baseline: reads until it holds a whole uwsgi packet
 *   and answers each connection with one fixed HTTP/1.1 response, then ends;
 * - `@tsgi/node uwsgi`: `createListener(app, 'uwsgi')` with the hello-world
 *   JSON app of the Nginx benchmark.
 *
 * wrk cannot speak uwsgi, so the load comes from bench/uwsgi/driver.mjs: 32
 * loops of connect → send one packet → read until close. Method of
 * bench/head-to-head.ts: the baseline and one contender at the same time, both
 * pinned to CPU 0, each with its own driver pinned to CPU 1; fresh processes,
 * a 1 s warm-up and BENCH_H2H_DURATION (5) s of load per round,
 * BENCH_H2H_ROUNDS (5) rounds; the table shows the median ratios of requests
 * served and of server CPU per request. BENCH_BASE_TREE=/path/to/checkout
 * (built) adds that tree's @tsgi/node as `@tsgi/node uwsgi (base tree)`, to
 * hold a change against the code before it (BENCH_H2H_BASELINE='@tsgi/node
 * uwsgi (base tree)' BENCH_H2H_ONLY='@tsgi/node uwsgi'); such a run only prints.
 *
 *   pnpm --filter @tsgi/node bench:uwsgi      (after a build)
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  type Contender,
  envNumber,
  findTaskset,
  median,
  startContender,
} from '../../../bench/harness.ts';
import { markdownTable, publishResults } from '../../../bench/results.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const duration = envNumber('BENCH_H2H_DURATION', 5);
const rounds = envNumber('BENCH_H2H_ROUNDS', 5);
const connections = envNumber('BENCH_CONNECTIONS', 32);
const own = JSON.parse(readFileSync(`${here}../package.json`, 'utf8')) as { version: string };

const contender = (name: string, file: string, version: string, env = {}): Contender => ({
  name,
  command: [process.execPath, `uwsgi/${file}`],
  cwd: here,
  env,
  version,
});
const baseTree = process.env.BENCH_BASE_TREE;
const all = [
  contender('bare net.Server', 'bare.mjs', `net.Server ${process.version}`),
  contender(
    '@tsgi/node uwsgi',
    'tsgi.mjs',
    `@tsgi/node ${own.version} createListener(app, 'uwsgi')`,
  ),
  ...(baseTree === undefined || baseTree === ''
    ? []
    : [
        contender('@tsgi/node uwsgi (base tree)', 'tsgi.mjs', `@tsgi/node built in ${baseTree}`, {
          TSGI_DIST: `${baseTree}/packages/node/dist/index.js`,
        }),
      ]),
];
// As in bench/head-to-head.ts: BENCH_H2H_BASELINE names another baseline,
// BENCH_H2H_ONLY (comma-separated) keeps only those contenders; either only prints.
const baseName = process.env.BENCH_H2H_BASELINE || all[0]!.name;
const only = process.env.BENCH_H2H_ONLY?.split(',').filter((name) => name !== '');
const baseline = all.find((c) => c.name === baseName);
if (baseline === undefined) throw new Error(`no contender named ${JSON.stringify(baseName)}`);
const others = all.filter((c) => c !== baseline && (only === undefined || only.includes(c.name)));
const narrowed = Boolean(baseTree || process.env.BENCH_H2H_BASELINE || process.env.BENCH_H2H_ONLY);

interface DriverResult {
  requests: number;
  errors: number;
  seconds: number;
}

/** Runs bench/uwsgi/driver.mjs against `port` for `seconds`, pinned to `cpu` when given. */
function drive(port: number, seconds: number, cpu: string | undefined): Promise<DriverResult> {
  const args = [`${here}uwsgi/driver.mjs`, String(port), String(seconds), String(connections)];
  const [command, ...rest] =
    cpu === undefined
      ? [process.execPath, ...args]
      : ['taskset', '-c', cpu, process.execPath, ...args];
  return new Promise((resolve, reject) => {
    execFile(
      command!,
      rest,
      { encoding: 'utf8', timeout: (seconds + 30) * 1000 },
      (error, stdout) => {
        if (error) reject(error);
        else resolve(JSON.parse(stdout.trim().split('\n').pop()!) as DriverResult);
      },
    );
  });
}

const portOf = (url: string) => Number(new URL(url).port);
const pinned = findTaskset() !== undefined && cpus().length >= 2;
const serverCpu = pinned ? '0' : undefined;
const loadCpu = pinned ? '1' : undefined;
const title = `uwsgi listener per connection, head to head with ${baseline.name}`;
console.log(`\n## ${title}\n`);
console.log(
  `each contender serves at the same time as ${baseline.name}${pinned ? ', both pinned to CPU 0, each driven by its own driver pinned to CPU 1' : ' (not pinned)'}; ${rounds} rounds of ${duration} s`,
);

interface Row {
  name: string;
  ratios: number[];
  cpuRatios: number[];
  /** Per round: the share of one CPU the two servers used together (1 when they saturate it). */
  busy: number[];
}
const rows: Row[] = [];
for (const other of others) {
  const row: Row = {
    name: other.name,
    ratios: [],
    cpuRatios: [],
    busy: [],
  };
  for (let round = 0; round < rounds; round++) {
    const [base, next] = await Promise.all([
      startContender(baseline, serverCpu),
      startContender(other, serverCpu),
    ]);
    try {
      const basePort = portOf(base.url);
      const nextPort = portOf(next.url);
      await Promise.all([drive(basePort, 1, loadCpu), drive(nextPort, 1, loadCpu)]);
      const baseBefore = base.cpuMs();
      const nextBefore = next.cpuMs();
      const [baseRun, nextRun] = await Promise.all([
        drive(basePort, duration, loadCpu),
        drive(nextPort, duration, loadCpu),
      ]);
      const basePer = ((base.cpuMs() - baseBefore) * 1000) / baseRun.requests;
      const nextPer = ((next.cpuMs() - nextBefore) * 1000) / nextRun.requests;
      const ratio = nextRun.requests / baseRun.requests;
      row.ratios.push(ratio);
      row.cpuRatios.push(nextPer / basePer);
      const busy =
        (basePer * baseRun.requests + nextPer * nextRun.requests) / 1000 / (duration * 1000);
      row.busy.push(busy);
      const errors = baseRun.errors + nextRun.errors;
      console.log(
        `  round ${round + 1}/${rounds} ${other.name.padEnd(30)} ${Math.round(nextRun.requests / nextRun.seconds)} vs ${Math.round(baseRun.requests / baseRun.seconds)} req/s  ratio ${ratio.toFixed(3)}  cpu ${nextPer.toFixed(1)} vs ${basePer.toFixed(1)} µs/req  cpu ratio ${(nextPer / basePer).toFixed(3)}  servers busy ${(100 * busy).toFixed(0)}%${errors > 0 ? `  (${errors} errors!)` : ''}`,
      );
    } finally {
      await Promise.all([base.stop(), next.stop()]);
    }
  }
  rows.push(row);
}

if (rows.length > 0 && rounds > 0) {
  const range = (values: number[]) =>
    `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;
  const table = markdownTable(
    [
      'server',
      `requests served vs ${baseline.name} (median)`,
      'range over rounds',
      `CPU per request vs ${baseline.name} (median)`,
      'range',
    ],
    [
      [baseline.name, '1.00×', '', '1.00×', ''],
      ...rows.map((row) => [
        row.name,
        `${median(row.ratios).toFixed(2)}×`,
        range(row.ratios),
        `${median(row.cpuRatios).toFixed(2)}×`,
        range(row.cpuRatios),
      ]),
    ],
  );
  const notes = [
    `- ${pinned ? 'both servers pinned to CPU 0, each driver to CPU 1' : 'not pinned (taskset or a second CPU missing)'}; ${rounds} round(s) per contender, fresh processes, 1 s warm-up each`,
    `- load generator: bench/uwsgi/driver.mjs (Node ${process.version}), a new connection per request as Nginx's uwsgi_pass; per server per round: \`${pinned ? 'taskset -c 1 ' : ''}node uwsgi/driver.mjs <port> ${duration} ${connections}\``,
    `- the two servers together used a median ${(100 * median(rows.flatMap((row) => row.busy))).toFixed(0)} % of their CPU: below 100 %, the drivers (Node, about as costly per connection as the bare server) bound the requests served, and the CPU-per-request ratio is the one to judge`,
    `- versions: ${[baseline, ...others].map((c) => c.version ?? c.name).join(', ')}`,
  ];
  publishResults(
    narrowed ? undefined : 'node-uwsgi-connection',
    title,
    `${table}\n\n${notes.join('\n')}`,
  );
}
