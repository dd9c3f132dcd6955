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
 *   JSON app of the Nginx benchmark, on raw sockets (the default);
 * - `@tsgi/node uwsgi (sockets: node)`: the same on `net.Socket`, what raw
 *   sockets save.
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
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Contender, runPinned } from '../../../bench/harness.ts';
import { type LoadGenerator, runHeadToHead } from '../../../bench/head-to-head.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const own = JSON.parse(readFileSync(`${here}../package.json`, 'utf8')) as { version: string };

const contender = (name: string, file: string, version: string, env = {}): Contender => ({
  name,
  command: [process.execPath, `uwsgi/${file}`],
  cwd: here,
  env,
  version,
});
const baseTree = process.env.BENCH_BASE_TREE;

/** bench/uwsgi/driver.mjs: a new connection per request, as Nginx's uwsgi_pass. */
const driver: LoadGenerator = {
  name: `bench/uwsgi/driver.mjs (Node ${process.version}), a new connection per request as Nginx's uwsgi_pass`,
  command: (seconds, connections) => `node uwsgi/driver.mjs <port> ${seconds} ${connections}`,
  run(url, seconds, connections, cpu) {
    const args = [
      `${here}uwsgi/driver.mjs`,
      new URL(url).port,
      String(seconds),
      String(connections),
    ];
    return runPinned(cpu, process.execPath, args, seconds).then((stdout) => {
      const result = JSON.parse(stdout.trim().split('\n').pop()!) as {
        requests: number;
        errors: number;
        seconds: number;
      };
      return { ...result, requestsPerSecond: result.requests / result.seconds };
    });
  },
};

await runHeadToHead({
  title: 'uwsgi listener per connection, head to head with a bare net.Server',
  results: 'node-uwsgi-connection',
  load: driver,
  notes: [
    '- the drivers are Node, about as costly per connection as a bare net.Server, so they, not the servers, often bound the requests served',
  ],
  contenders: [
    contender('bare net.Server', 'bare.mjs', `net.Server ${process.version}`),
    contender(
      '@tsgi/node uwsgi',
      'tsgi.mjs',
      `@tsgi/node ${own.version} createListener(app, 'uwsgi')`,
    ),
    contender(
      '@tsgi/node uwsgi (sockets: node)',
      'tsgi.mjs',
      `@tsgi/node ${own.version} createListener(app, 'uwsgi', { sockets: 'node' })`,
      { SOCKETS: 'node' },
    ),
    ...(baseTree === undefined || baseTree === ''
      ? []
      : [
          contender('@tsgi/node uwsgi (base tree)', 'tsgi.mjs', `@tsgi/node built in ${baseTree}`, {
            TSGI_DIST: `${baseTree}/packages/node/dist/index.js`,
          }),
        ]),
  ],
});
