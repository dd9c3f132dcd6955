/**
 * WebSocket echo throughput, head to head: @tsgi/node's `serve()` with a TSGI
 * echo app that awaits `send()` (bench/websocket/tsgi-echo.mjs) against a
 * bare `ws` server on node:http (bench/websocket/ws-echo.mjs), for binary
 * messages of 32 B, 1 KiB and 64 KiB, one table each. Method of
 * bench/head-to-head.ts: both servers at once, pinned to CPU 0, each driven by
 * its own load generator pinned to CPU 1; fresh processes, a 1 s warm-up and
 * BENCH_H2H_DURATION (5) s per round, BENCH_H2H_ROUNDS (5) rounds; the tables
 * show the median ratios of messages echoed and of server CPU per message.
 * wrk cannot speak WebSocket, so the load comes from bench/websocket/driver.mjs,
 * a raw-frame client cheap enough per message that the servers, not it, bound
 * the rate: BENCH_CONNECTIONS (32) connections, each with BENCH_WS_WINDOW (16)
 * messages in flight. Goal (issue 27): at least 0.90×
 * the messages per second of the bare `ws` server.
 *
 *   pnpm --filter @tsgi/node bench:websocket   (after a build)
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type Contender, envNumber, runPinned } from '../../../bench/harness.ts';
import {
  type HeadToHeadRow,
  type LoadGenerator,
  runHeadToHead,
} from '../../../bench/head-to-head.ts';
import { formatRatio } from '../../../bench/results.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const require = createRequire(import.meta.url);
const own = JSON.parse(readFileSync(`${here}../package.json`, 'utf8')) as { version: string };
const wsVersion = (
  JSON.parse(readFileSync(require.resolve('ws/package.json'), 'utf8')) as { version: string }
).version;

/** Messages each connection keeps in flight. */
const window = envNumber('BENCH_WS_WINDOW', 16);
/** The goal of issue 27: @tsgi/node echoes at least this share of the bare server's messages. */
const GOAL = 0.9;

const contender = (name: string, file: string, version: string): Contender => ({
  name,
  command: [process.execPath, `websocket/${file}`],
  cwd: here,
  version,
});
const contenders = [
  contender('ws on node:http', 'ws-echo.mjs', `ws ${wsVersion} on node:http ${process.version}`),
  contender(
    '@tsgi/node',
    'tsgi-echo.mjs',
    `@tsgi/node ${own.version} serve() (its ws ${wsVersion} for framing)`,
  ),
];

/** bench/websocket/driver.mjs with messages of `size` bytes. */
function driver(size: number): LoadGenerator {
  return {
    name: `bench/websocket/driver.mjs (a raw-frame client on Node ${process.version}: frames built once, echoes parsed from their headers), ${window} binary messages of ${size} B in flight per connection`,
    command: (seconds, connections) =>
      `node websocket/driver.mjs <port> ${seconds} ${connections} ${size} ${window}`,
    run(url, seconds, connections, cpu) {
      const args = [
        `${here}websocket/driver.mjs`,
        new URL(url).port,
        String(seconds),
        String(connections),
        String(size),
        String(window),
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
}

/** The line under a table: the ratio of messages echoed against the goal. */
const againstGoal = (rows: HeadToHeadRow[]) =>
  rows.map(
    (row) =>
      `Goal (issue 27): ${row.name} echoes at least ${formatRatio(GOAL)}× the messages of the bare ws server: ${formatRatio(row.ratio)}× (median), ${row.ratio >= GOAL ? 'met' : 'missed'}.`,
  );

const sizes: Array<[label: string, id: string, bytes: number]> = [
  ['32 B', '32b', 32],
  ['1 KiB', '1kib', 1024],
  ['64 KiB', '64kib', 65_536],
];
for (const [label, id, bytes] of sizes) {
  await runHeadToHead({
    title: `WebSocket echo of ${label} messages, @tsgi/node head to head with a bare ws server`,
    results: `node-websocket-h2h-${id}`,
    load: driver(bytes),
    contenders,
    notes: [
      '- "requests" are messages echoed back to the driver within the round; both servers send each message back as it came (binary), @tsgi/node through a TSGI app that iterates the connection and awaits `send()`, the bare server from its `message` event without waiting',
      '- no permessage-deflate; both servers frame with the same `ws`, without its optional native `bufferutil` (unmasking in JavaScript)',
    ],
    conclusions: againstGoal,
  });
}
