/**
 * Memory per worker under load, head to head: items-api's own stack on
 * @tsgi/node, its Fastify twin and bare node:http answering the same JSON
 * (bench/servers/), all started at once and pinned to CPU 0, each driven by
 * its own `wrk -t1 -c32 -s mix.lua` pinned to CPU 1, in rounds of 8 s with
 * the same processes (the RSS plateau), and that again with fresh processes
 * and fresh database copies. Every server runs with bench/memory-probe.cjs
 * preloaded, which counts the V8 heap's allocations and answers the memory
 * figures. Writes `bench/RESULTS.md#items-api-memory-h2h`.
 *
 *   pnpm --filter items-api bench   (BENCH_H2H_ROUNDS runs, BENCH_MEMORY_ROUNDS
 *                                    rounds each, BENCH_H2H_DURATION s a round)
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Contender,
  envNumber,
  findTaskset,
  findWrk,
  type Running,
  runWrkAsync,
  startContender,
  versionOf,
} from '../../../bench/harness.ts';
import { beginRun } from '../../../bench/machine.ts';
import {
  askProbe,
  formatMiB,
  type ProbeGc,
  type ProbeWindow,
  probed,
  vmRssBytes,
} from '../../../bench/memory.ts';
import { formatRatio, markdownTable, publishResults } from '../../../bench/results.ts';
import { median } from '../../../bench/trust.ts';
import {
  databaseCopy,
  fastifyTwin,
  MIX_SCRIPT,
  makeTemplate,
  nodeHttp,
  SEEDED_ITEMS,
  tsgiStack,
} from './contenders.ts';

const runs = envNumber('BENCH_H2H_ROUNDS', 5);
const rounds = envNumber('BENCH_MEMORY_ROUNDS', 3);
const duration = envNumber('BENCH_H2H_DURATION', 8);
const connections = envNumber('BENCH_CONNECTIONS', 32);
const WARM_UP = 2;

/** One contender's figures in one run (fresh processes). */
interface RunFigures {
  rssIdle: number;
  /** Max of VmRSS at the end of rounds 2..R. */
  rss: number;
  /** Max of heapTotal at the end of rounds 2..R. */
  heapTotal: number;
  /** Max of the young generation's size (new space) at the end of rounds 2..R. */
  newSpace: number;
  heapUsedAfterGc: number;
  /** V8 heap bytes allocated in rounds 2..R ÷ requests served in them. */
  bytesPerRequest: number;
  requests: number;
  errors: number;
}

const TITLE = 'items-api: memory per worker under load, head to head with its Fastify twin';
console.log(`\n## ${TITLE}\n`);
const run = await beginRun();
const wrk = findWrk();
if (wrk === undefined) {
  console.log('skipped: the memory bench needs wrk (apt-get install wrk)');
  process.exit(0);
}
const pinned = findTaskset() !== undefined && cpus().length >= 2;
const [serverCpu, loadCpu] = pinned ? ['0', '1'] : [undefined, undefined];
const dir = mkdtempSync(join(tmpdir(), 'items-api-memory-'));
const template = await makeTemplate(dir);

/** The contenders, the baseline first, with `env(name)` as their environment. */
const contenders = (env: (name: string) => Record<string, string>): Contender[] => [
  fastifyTwin(env('fastify')),
  tsgiStack('items-api on TSGI', 'items-api', env('tsgi')),
  nodeHttp(env('node-http')),
];
/** Run `r`'s environment of a server: its own database copy, the page, production mode. */
const runEnv = (r: number) => (name: string) => ({
  DATABASE_URL: databaseCopy(template, dir, `${name}-${r}`),
  ITEMS_PAGE: template.page,
  NODE_ENV: 'production',
});
const described = contenders(() => ({}));
const names = described.map((c) => c.name);
const figures = new Map<string, RunFigures[]>(names.map((name) => [name, []]));

/** One contender's figures at the end of a round, for the log. */
function roundLine(
  name: string,
  rss: number,
  window: ProbeWindow,
  requests: number,
  errors: number,
): string {
  const perRequest = Math.round(window.allocated / requests);
  const survived = Math.round(window.survived / (window.gcs.Scavenge ?? Number.NaN) / 1024);
  return [
    name.padEnd(17),
    `RSS ${formatMiB(rss)} MiB`,
    `heapTotal ${formatMiB(window.memory.heapTotal)} MiB`,
    `new space ${formatMiB(window.spaces.new_space?.size ?? Number.NaN)} MiB`,
    `${perRequest} B/request`,
    `${survived} KiB alive per scavenge`,
    `${requests} requests${errors > 0 ? ` (${errors} errors!)` : ''}`,
  ].join('  ');
}

/** One run: start every contender at once, load them in rounds, read the probe after each. */
async function measureRun(r: number): Promise<void> {
  const list = contenders(runEnv(r));
  const sockets = list.map((_, i) => join(dir, `probe-${r}-${i}.sock`));
  const servers: Running[] = await Promise.all(
    list.map((c, i) => startContender(probed(c, sockets[i]!), serverCpu)),
  );
  try {
    const rssIdle = servers.map((s) => vmRssBytes(s.pid));
    const load = (seconds: number) =>
      Promise.all(
        servers.map((s) => runWrkAsync(wrk!, s.url, seconds, connections, loadCpu, MIX_SCRIPT)),
      );
    await load(WARM_UP);
    const ends: { rss: number; window: ProbeWindow; requests: number; errors: number }[][] =
      list.map(() => []);
    for (let round = 1; round <= rounds; round++) {
      await Promise.all(sockets.map((socket) => askProbe(socket, 'start')));
      const samples = await load(duration);
      const rss = servers.map((s) => vmRssBytes(s.pid));
      const windows = await Promise.all(sockets.map((s) => askProbe<ProbeWindow>(s, 'stop')));
      list.forEach((c, i) => {
        const { requests, errors } = samples[i]!;
        ends[i]!.push({ rss: rss[i]!, window: windows[i]!, requests, errors });
        console.log(
          `  run ${r}/${runs} round ${round}/${rounds} ${roundLine(c.name, rss[i]!, windows[i]!, requests, errors)}`,
        );
      });
    }
    const afterGc = await Promise.all(sockets.map((s) => askProbe<ProbeGc>(s, 'gc')));
    list.forEach((c, i) => {
      const all = ends[i]!;
      const plateau = all.length > 1 ? all.slice(1) : all;
      const allocated = plateau.reduce((sum, e) => sum + e.window.allocated, 0);
      const requests = plateau.reduce((sum, e) => sum + e.requests, 0);
      figures.get(c.name)!.push({
        rssIdle: rssIdle[i]!,
        rss: Math.max(...plateau.map((e) => e.rss)),
        heapTotal: Math.max(...plateau.map((e) => e.window.memory.heapTotal)),
        newSpace: Math.max(...plateau.map((e) => e.window.spaces.new_space?.size ?? Number.NaN)),
        heapUsedAfterGc: afterGc[i]!.memory.heapUsed,
        bytesPerRequest: allocated / requests,
        requests,
        errors: all.reduce((sum, e) => sum + e.errors, 0),
      });
    });
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

try {
  console.log(
    `${names.join(', ')} at once${pinned ? ', pinned to CPU 0, each with its own wrk pinned to CPU 1' : ' (not pinned)'}; ${runs} runs of ${rounds} rounds of ${duration} s after a ${WARM_UP} s warm-up`,
  );
  for (let r = 1; r <= runs; r++) await measureRun(r);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const [baseline, ...others] = names;
const base = figures.get(baseline!)!;
const values = (name: string, pick: (f: RunFigures) => number) => figures.get(name)!.map(pick);
const ratios = (name: string, pick: (f: RunFigures) => number) =>
  values(name, pick).map((value, i) => value / pick(base[i]!));
/** `median (min–max)` of a series, each formatted by `format`. */
const spread = (series: number[], format: (n: number) => string) =>
  `${format(median(series))} (${format(Math.min(...series))}–${format(Math.max(...series))})`;
const mib = (pick: (f: RunFigures) => number) => (name: string) =>
  spread(values(name, pick), (bytes) => formatMiB(bytes));
const ratio = (pick: (f: RunFigures) => number) => (name: string) =>
  name === baseline ? '1.00×' : spread(ratios(name, pick), (n) => `${formatRatio(n)}×`);
const bytes = (n: number) => Math.round(n).toLocaleString('en-US');

const rss = (f: RunFigures) => f.rss;
const perRequest = (f: RunFigures) => f.bytesPerRequest;
const served = (f: RunFigures) => f.requests;
const table = markdownTable(
  [
    'server',
    'RSS idle, MiB',
    'RSS after load (plateau), MiB',
    'RSS vs the twin',
    'V8 heapTotal, MiB',
    'of which new space, MiB',
    'heapUsed after a full GC, MiB',
    'bytes allocated per request',
    'bytes per request vs the twin',
    'requests served vs the twin',
  ],
  names.map((name) => [
    name,
    mib((f) => f.rssIdle)(name),
    mib(rss)(name),
    ratio(rss)(name),
    mib((f) => f.heapTotal)(name),
    mib((f) => f.newSpace)(name),
    mib((f) => f.heapUsedAfterGc)(name),
    spread(values(name, perRequest), bytes),
    ratio(perRequest)(name),
    ratio(served)(name),
  ]),
);
const errors = names.reduce(
  (sum, name) => sum + values(name, (f) => f.errors).reduce((a, b) => a + b, 0),
  0,
);
const tsgiName = names[1]!;
const rssRatio = median(ratios(tsgiName, rss));
const allocRatio = median(ratios(tsgiName, perRequest));
const notes = [
  `- each figure: median over ${runs} runs (min–max); a run starts the ${names.length} servers at once with fresh processes and a fresh copy of the database, ${pinned ? 'all pinned to CPU 0 (taskset -c 0), each loaded by its own wrk pinned to CPU 1' : 'not pinned'}, for a ${WARM_UP} s warm-up and ${rounds} rounds of ${duration} s`,
  `- load per server: \`${pinned ? 'taskset -c 1 ' : ''}wrk -t1 -c${connections} -d${duration}s -s mix.lua <url>\` (${versionOf(wrk, ['-v'])}); per 100 requests: 80 GET /items, 14 GET /items/:id, 4 GET /health, 2 POST /items (201)`,
  `- after load = over rounds 2 to ${rounds} (round 1 still grows): RSS is the largest \`VmRSS\` of /proc/<pid>/status at a round's end, heapTotal the largest \`process.memoryUsage().heapTotal\` then and new space the largest size of V8's young generation (part of heapTotal); heapUsed is read after \`global.gc()\` once the last round is over; RSS idle is read before the warm-up`,
  `- bytes allocated per request: bytes allocated on the V8 heap in those rounds (bench/memory-probe.cjs, preloaded with \`node --expose-gc --require\`: the heap's used size before each GC less after the one before, from \`v8.GCProfiler\`) ÷ the requests wrk completed; Buffer backing stores, outside the V8 heap, are not counted`,
  `- each server has its own copy of a WAL file that items-api's migrate made and filled to ${SEEDED_ITEMS} items, so GET /items answers a full page of 50; node:http answers that page to every request without SQLite; \`NODE_ENV=production\` for all (items-api's \`validate()\` off), items-api's timing log line off`,
  `- versions: ${described.map((c) => c.version).join('; ')}`,
  '',
  `Goals (issue 31), from the medians: RSS plateau at most 1.10× the Fastify twin's: ${formatRatio(rssRatio)}×, ${rssRatio <= 1.1 ? 'met' : 'missed'}; bytes allocated per request at or below the twin's: ${formatRatio(allocRatio)}×, ${allocRatio <= 1 ? 'met' : 'missed'}.`,
];
publishResults({
  id: 'items-api-memory-h2h',
  title: TITLE,
  markdown: `${table}\n\n${notes.join('\n')}`,
  run,
  measured: {
    rounds: runs,
    pinned,
    errors,
    ratios: others.flatMap((name) => [
      { label: `${name}: RSS after load`, values: ratios(name, rss) },
      { label: `${name}: bytes allocated per request`, values: ratios(name, perRequest) },
      { label: `${name}: requests served`, values: ratios(name, served) },
    ]),
  },
});
