/**
 * Allocation per request, layer by layer: items-api's stack on @tsgi/node
 * built up one layer at a time (bench/servers/tsgi.mjs, BENCH_STACK: a
 * constant jsonResponse app, + @tsgi/router, + @tsgi/middleware-cors,
 * + @tsgi/middleware-timing without its log line, + @tsgi/middleware-request-id,
 * then items-api itself with its views and SQLite store), and for reference the
 * Fastify twin and bare node:http, all answering GET /items with the same page
 * of 50 items. Each stack runs alone, pinned to CPU 0, with bench/memory-probe.cjs
 * preloaded, under `wrk -t1 -c32 <url>/items` pinned to CPU 1: a 2 s warm-up,
 * then the V8 heap bytes allocated in BENCH_H2H_DURATION seconds (default 5)
 * ÷ the requests wrk completed; fresh processes BENCH_H2H_ROUNDS times
 * (default 3), the median. Stacks run one after another, not head to head,
 * so the table is printed only, never written to RESULTS.md.
 *
 *   pnpm --filter items-api bench:layers
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Contender,
  envNumber,
  findTaskset,
  findWrk,
  runWrkAsync,
  startContender,
} from '../../../bench/harness.ts';
import { askProbe, formatMiB, type ProbeWindow, probed } from '../../../bench/memory.ts';
import { markdownTable } from '../../../bench/results.ts';
import { median } from '../../../bench/trust.ts';
import { databaseCopy, fastifyTwin, makeTemplate, nodeHttp, tsgiStack } from './contenders.ts';

const repeats = envNumber('BENCH_H2H_ROUNDS', 3);
const duration = envNumber('BENCH_H2H_DURATION', 5);
const connections = envNumber('BENCH_CONNECTIONS', 32);
const WARM_UP = 2;

const wrk = findWrk();
if (wrk === undefined) {
  console.log('skipped: the allocation bench needs wrk (apt-get install wrk)');
  process.exit(0);
}
const pinned = findTaskset() !== undefined && cpus().length >= 2;
const [serverCpu, loadCpu] = pinned ? ['0', '1'] : [undefined, undefined];
const dir = mkdtempSync(join(tmpdir(), 'items-api-alloc-'));
const template = await makeTemplate(dir);

/** The stacks in order; `layered` rows are each held against the row before. */
const stacks: {
  label: string;
  layered: boolean;
  make: (env: Record<string, string>) => Contender;
}[] = [
  {
    label: 'constant jsonResponse app on @tsgi/node',
    layered: true,
    make: (env) => tsgiStack('bare', 'bare', env),
  },
  { label: '+ @tsgi/router', layered: true, make: (env) => tsgiStack('router', 'router', env) },
  {
    label: '+ @tsgi/middleware-cors',
    layered: true,
    make: (env) => tsgiStack('cors', 'cors', env),
  },
  {
    label: '+ @tsgi/middleware-timing (log off)',
    layered: true,
    make: (env) => tsgiStack('timing', 'timing', env),
  },
  {
    label: '+ @tsgi/middleware-request-id',
    layered: true,
    make: (env) => tsgiStack('request-id', 'request-id', env),
  },
  {
    label: 'items-api: + views and SQLite store',
    layered: true,
    make: (env) => tsgiStack('items-api', 'items-api', env),
  },
  { label: 'Fastify twin', layered: false, make: fastifyTwin },
  { label: 'node:http, the same JSON', layered: false, make: nodeHttp },
];

interface Measured {
  bytesPerRequest: number[];
  promotedPerRequest: number[];
  scavengesPer1k: number[];
  /** Bytes alive after a scavenge, on average. */
  survivedPerScavenge: number[];
  /** The young generation's size at the end (new space), bytes. */
  newSpace: number[];
}

/** One stack alone, fresh each repeat: warm-up, then one probed window under wrk. */
async function measure(index: number): Promise<Measured> {
  const result: Measured = {
    bytesPerRequest: [],
    promotedPerRequest: [],
    scavengesPer1k: [],
    survivedPerScavenge: [],
    newSpace: [],
  };
  for (let repeat = 1; repeat <= repeats; repeat++) {
    const socket = join(dir, `probe-${index}-${repeat}.sock`);
    const env = {
      DATABASE_URL: databaseCopy(template, dir, `stack-${index}-${repeat}`),
      ITEMS_PAGE: template.page,
      NODE_ENV: 'production',
    };
    const server = await startContender(probed(stacks[index]!.make(env), socket), serverCpu);
    try {
      const url = `${server.url}/items`;
      await runWrkAsync(wrk!, url, WARM_UP, connections, loadCpu);
      await askProbe(socket, 'start');
      const sample = await runWrkAsync(wrk!, url, duration, connections, loadCpu);
      const window = await askProbe<ProbeWindow>(socket, 'stop');
      if (sample.errors > 0) throw new Error(`${stacks[index]!.label}: ${sample.errors} errors`);
      result.bytesPerRequest.push(window.allocated / sample.requests);
      result.promotedPerRequest.push(window.promoted / sample.requests);
      result.scavengesPer1k.push(((window.gcs.Scavenge ?? 0) * 1000) / sample.requests);
      result.survivedPerScavenge.push(window.survived / (window.gcs.Scavenge ?? Number.NaN));
      result.newSpace.push(window.spaces.new_space?.size ?? Number.NaN);
      console.log(
        `  ${stacks[index]!.label.padEnd(40)} ${repeat}/${repeats}: ${Math.round(window.allocated / sample.requests)} B/request over ${sample.requests} requests, GCs ${JSON.stringify(window.gcs)}`,
      );
    } finally {
      await server.stop();
    }
  }
  return result;
}

console.log(
  `\n## items-api: V8 heap bytes allocated per GET /items, layer by layer\n\neach stack alone${pinned ? ', pinned to CPU 0, wrk pinned to CPU 1' : ' (not pinned)'}; ${repeats} fresh processes per stack, a ${WARM_UP} s warm-up and ${duration} s measured each`,
);
const results: Measured[] = [];
try {
  for (let i = 0; i < stacks.length; i++) results.push(await measure(i));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const bytes = (n: number) => Math.round(n).toLocaleString('en-US');
const medians = results.map((r) => median(r.bytesPerRequest));
const bare = medians[stacks.findIndex((s) => s.label.startsWith('node:http'))]!;
const rows = stacks.map((stack, i) => {
  const values = results[i]!.bytesPerRequest;
  const previous = i > 0 && stack.layered ? medians[i - 1]! : undefined;
  const delta =
    previous === undefined
      ? ''
      : `${medians[i]! - previous >= 0 ? '+' : '−'}${bytes(Math.abs(medians[i]! - previous))}`;
  return [
    stack.label,
    `${bytes(medians[i]!)} (${bytes(Math.min(...values))}–${bytes(Math.max(...values))})`,
    delta,
    `+${bytes(medians[i]! - bare)}`,
    bytes(median(results[i]!.promotedPerRequest)),
    median(results[i]!.scavengesPer1k).toFixed(2),
    bytes(median(results[i]!.survivedPerScavenge) / 1024),
    formatMiB(median(results[i]!.newSpace)),
  ];
});
console.log(
  `\n${markdownTable(
    [
      'stack',
      'bytes per request, median (range)',
      'this layer',
      'over node:http',
      'promoted per request',
      'scavenges per 1,000 requests',
      'alive after a scavenge, KiB',
      'new space, MiB',
    ],
    rows,
  )}\n\nprinted only: the stacks ran one after another, not head to head (bench/README.md, "Memory and allocation")`,
);
