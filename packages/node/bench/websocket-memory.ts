/**
 * Memory added by a WebSocket peer that stops reading, head to head: a
 * @tsgi/node app that keeps sending 64 KiB messages and awaits every `send()`
 * (bench/websocket/tsgi-sender.mjs), against bare `ws` servers on node:http
 * sending the same, one that checks `bufferedAmount` before each message and
 * one that ignores it (bench/websocket/ws-sender.mjs, for reference). Each run
 * starts the three at once, pinned to CPU 0, with bench/memory-probe.cjs
 * preloaded; one client (`ws`, in this process) per server connects, the
 * figures are taken (after a full GC), the client stops reading and asks
 * for the messages, and after BENCH_WS_STALL (5) s the figures are taken
 * again. BENCH_H2H_ROUNDS (5) runs
 * with fresh processes; medians and ranges. Goal (issue 27): the stall adds
 * less than 16 MiB to @tsgi/node's process, RSS and heap alike.
 *
 *   pnpm --filter @tsgi/node bench:websocket   (after a build)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import {
  type Contender,
  envNumber,
  findTaskset,
  type Running,
  startContender,
} from '../../../bench/harness.ts';
import { beginRun } from '../../../bench/machine.ts';
import { askProbe, formatMiB, type ProbeGc, probed, vmRssBytes } from '../../../bench/memory.ts';
import { formatRatio, markdownTable, publishResults } from '../../../bench/results.ts';
import { median } from '../../../bench/trust.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const require = createRequire(import.meta.url);
const own = JSON.parse(readFileSync(`${here}../package.json`, 'utf8')) as { version: string };
const wsVersion = (
  JSON.parse(readFileSync(require.resolve('ws/package.json'), 'utf8')) as { version: string }
).version;
const runs = envNumber('BENCH_H2H_ROUNDS', 5);
const stall = envNumber('BENCH_WS_STALL', 5);
/** The goal of issue 27, in bytes: what the stall may add to the server's memory. */
const GOAL = 16 * 1_048_576;

const contender = (name: string, file: string, version: string, env = {}): Contender => ({
  name,
  command: [process.execPath, `websocket/${file}`],
  cwd: here,
  env,
  version,
});
const contenders = [
  contender('ws, checks bufferedAmount', 'ws-sender.mjs', `ws ${wsVersion} on node:http`, {
    BENCH_WS_SENDER: 'check',
  }),
  contender('@tsgi/node, awaits send()', 'tsgi-sender.mjs', `@tsgi/node ${own.version} serve()`),
  contender('ws, ignores bufferedAmount', 'ws-sender.mjs', `ws ${wsVersion} on node:http`, {
    BENCH_WS_SENDER: 'ignore',
  }),
];
const names = contenders.map((c) => c.name);

/** One server's figures in one run, in bytes. */
interface Figures {
  rssBefore: number;
  rssAdded: number;
  heapAdded: number;
  externalAdded: number;
  rssAfter: number;
  heapAfter: number;
}
const figures = new Map<string, Figures[]>(names.map((name) => [name, []]));
let errors = 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A client of `server` that reads whatever it is sent, until paused. */
function client(server: Running): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(server.url.replace('http:', 'ws:'), { perMessageDeflate: false });
    ws.on('message', () => {});
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Every server's memory: RSS read from /proc after a full GC, heapUsed and external from the probe. */
async function readAll(servers: Running[], sockets: string[], rssFirst: boolean) {
  const early = servers.map((s) => vmRssBytes(s.pid));
  const gcs = await Promise.all(sockets.map((socket) => askProbe<ProbeGc>(socket, 'gc')));
  const late = servers.map((s) => vmRssBytes(s.pid));
  return servers.map((_, i) => ({
    rss: rssFirst ? early[i]! : late[i]!,
    heap: gcs[i]!.memory.heapUsed,
    external: gcs[i]!.memory.external,
  }));
}

/** One run: the three servers at once, a client each (idle: before), then the stall (after). */
async function measureRun(r: number, dir: string, cpu: string | undefined): Promise<void> {
  const sockets = contenders.map((_, i) => join(dir, `probe-${r}-${i}.sock`));
  const servers = await Promise.all(
    contenders.map((c, i) => startContender(probed(c, sockets[i]!), cpu)),
  );
  const clients: WebSocket[] = [];
  try {
    clients.push(...(await Promise.all(servers.map(client))));
    for (const ws of clients) ws.on('close', () => errors++);
    const before = await readAll(servers, sockets, false);
    for (const ws of clients) {
      ws.pause();
      ws.send('go');
    }
    await sleep(stall * 1000);
    // RSS at the end of the stall first (a GC may give pages back), then the heap after a GC
    const after = await readAll(servers, sockets, true);
    names.forEach((name, i) => {
      const [b, a] = [before[i]!, after[i]!];
      const f: Figures = {
        rssBefore: b.rss,
        rssAdded: a.rss - b.rss,
        heapAdded: a.heap - b.heap,
        externalAdded: a.external - b.external,
        rssAfter: a.rss,
        heapAfter: a.heap,
      };
      figures.get(name)!.push(f);
      console.log(
        `  run ${r}/${runs} ${name.padEnd(27)} RSS ${formatMiB(b.rss)} → ${formatMiB(a.rss)} MiB (+${formatMiB(f.rssAdded)})  heapUsed after GC +${formatMiB(f.heapAdded)} MiB  external +${formatMiB(f.externalAdded)} MiB`,
      );
    });
  } finally {
    for (const ws of clients) {
      ws.removeAllListeners('close');
      ws.terminate();
    }
    await Promise.all(servers.map((s) => s.stop()));
  }
}

const TITLE = 'WebSocket peer that stops reading: memory added to the server, head to head';
console.log(`\n## ${TITLE}\n`);
const run = await beginRun();
const pinned = findTaskset() !== undefined && cpus().length >= 2;
const dir = mkdtempSync(join(tmpdir(), 'tsgi-ws-memory-'));
try {
  console.log(
    `${names.join(', ')} at once${pinned ? ', pinned to CPU 0' : ' (not pinned)'}; ${runs} runs of ${stall} s with a client that does not read`,
  );
  for (let r = 1; r <= runs; r++) await measureRun(r, dir, pinned ? '0' : undefined);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const values = (name: string, pick: (f: Figures) => number) => figures.get(name)!.map(pick);
const spread = (series: number[], format: (n: number) => string) =>
  `${format(median(series))} (${format(Math.min(...series))}–${format(Math.max(...series))})`;
const mib = (name: string, pick: (f: Figures) => number) =>
  spread(values(name, pick), (bytes) => formatMiB(bytes));
const [baseline, tsgi] = names as [string, string, string];
const ratios = (name: string, pick: (f: Figures) => number) =>
  values(name, pick).map((value, i) => value / pick(figures.get(baseline)![i]!));
const rssAfter = (f: Figures) => f.rssAfter;
const heapAfter = (f: Figures) => f.heapAfter;
const table = markdownTable(
  [
    'server',
    'RSS with the connection idle, MiB',
    'RSS added by the stall, MiB',
    'heapUsed added, MiB',
    'external added, MiB',
    'RSS after the stall vs the checking ws server',
  ],
  names.map((name) => [
    name,
    mib(name, (f) => f.rssBefore),
    mib(name, (f) => f.rssAdded),
    mib(name, (f) => f.heapAdded),
    mib(name, (f) => f.externalAdded),
    name === baseline ? '1.00×' : spread(ratios(name, rssAfter), (n) => `${formatRatio(n)}×`),
  ]),
);
const rssAdded = median(values(tsgi, (f) => f.rssAdded));
const heapAdded = median(values(tsgi, (f) => f.heapAdded));
const met = rssAdded < GOAL && heapAdded < GOAL;
const notes = [
  `- each figure: median over ${runs} runs (min–max); a run starts the three servers at once with fresh processes, ${pinned ? 'pinned to CPU 0 (taskset -c 0)' : 'not pinned'}, each with bench/memory-probe.cjs preloaded (\`node --expose-gc --require\`)`,
  `- each server gets one client (\`ws\` ${wsVersion}, in the bench's process); with the connection open and idle the "before" figures are taken; then the client stops reading (\`ws.pause()\`: its socket is no longer read, so TCP fills up) and sends one message, on which the server starts sending it 64 KiB binary messages (a new one each time, yielding to the event loop between them); ${stall} s later the "after" figures are taken`,
  '- RSS is `VmRSS` of /proc/<pid>/status (before: after a full GC; after: at the end of the stall, before the GC); heapUsed and external (`process.memoryUsage()`; Buffers queued for the socket count in external) after a full GC each time',
  '- the checking ws server sends only while `bufferedAmount` is under 16 KiB (looking again every 1 ms); the ignoring one sends regardless, up to 256 MiB buffered, a cap that only spares the machine',
  '- the rule of bench/README.md judges the ratios of @tsgi/node to the checking ws server (RSS and heapUsed after the stall); the ignoring server is a reference',
  `- versions: ${contenders.map((c) => `${c.name}: ${c.version}`).join('; ')}`,
  '',
  `Goal (issue 27): a peer that stops reading for ${stall} s adds less than 16 MiB to @tsgi/node's process: RSS +${formatMiB(rssAdded)} MiB, heapUsed +${formatMiB(heapAdded)} MiB (medians), ${met ? 'met' : 'missed'}.`,
];
publishResults({
  id: 'node-websocket-memory',
  title: TITLE,
  markdown: `${table}\n\n${notes.join('\n')}`,
  run,
  measured: {
    rounds: runs,
    pinned,
    errors,
    ratios: [
      { label: `${tsgi}: RSS after the stall`, values: ratios(tsgi, rssAfter) },
      { label: `${tsgi}: heapUsed after the stall`, values: ratios(tsgi, heapAfter) },
    ],
  },
});
