/**
 * Head-to-head runs: a contender and the baseline serve at the same time,
 * both pinned to one CPU, each driven by its own wrk (or another load
 * generator, `HeadToHeadOptions.load`) pinned to another CPU.
 * Whatever else the machine does in those seconds hits both alike, so the
 * ratios are steady where sequential req/s swings by tens of percent on a
 * shared machine. See bench/README.md.
 */
import { cpus } from 'node:os';
import { basename } from 'node:path';
import {
  type Contender,
  envNumber,
  findTaskset,
  findWrk,
  runWrkAsync,
  startContender,
  versionOf,
} from './harness.ts';
import { beginRun } from './machine.ts';
import { formatRange, formatRatio, markdownTable, publishTable } from './results.ts';
import { type Measured, median } from './trust.ts';

/** What one load run reports: what it counts of the requests it sent. */
export interface LoadSample {
  requests: number;
  requestsPerSecond: number;
  errors: number;
}

/**
 * A load generator other than wrk (a protocol wrk cannot speak): `run` loads
 * `url` for `seconds` with `connections` at once, pinned to `cpu` when given;
 * `command` describes one run for the notes under the table.
 */
export interface LoadGenerator {
  /** What it is, with its version, for the notes. */
  name: string;
  run(url: string, seconds: number, connections: number, cpu?: string): Promise<LoadSample>;
  command(seconds: number, connections: number): string;
}

/** What a head-to-head comparison runs. */
export interface HeadToHeadOptions {
  title: string;
  /**
   * Id of this table's section of bench/RESULTS.md (`[a-z0-9-]+`). A run narrowed
   * by BENCH_H2H_BASELINE or BENCH_H2H_ONLY only prints its table, and so does
   * one the rule of trust.ts refuses.
   */
  results: string;
  /**
   * The baseline first (unless BENCH_H2H_BASELINE names another), then the
   * contenders to hold against it, one at a time.
   */
  contenders: Contender[];
  /** Path requested, default `/`. */
  path?: string;
  /** Seconds of load per round (env BENCH_H2H_DURATION overrides). Default 5. */
  duration?: number;
  /** Rounds per contender, each with fresh processes (env BENCH_H2H_ROUNDS overrides). Default 5. */
  rounds?: number;
  /** Open connections per wrk (env BENCH_CONNECTIONS overrides). Default 32. */
  connections?: number;
  /** The load generator, default wrk (`wrk -t1 -c<connections> -d<duration>s --latency`). */
  load?: LoadGenerator;
  /**
   * A Lua script for the default wrk (`-s <path>`), e.g. one that makes every
   * request a POST with a JSON body; named in the notes by its file name.
   */
  wrkScript?: string;
  /** More lines for the notes under the table. */
  notes?: string[];
  /**
   * Lines computed from the rows (medians only), added under the notes, e.g.
   * the cost against a goal; they are written or refused with the table.
   */
  conclusions?: (rows: HeadToHeadRow[]) => string[];
}

/** One contender's result against the baseline. */
export interface HeadToHeadRow {
  name: string;
  /** Per round: the contender's requests served divided by the baseline's. */
  ratios: number[];
  /** Per round: the contender's CPU time per request divided by the baseline's. */
  cpuRatios: number[];
  /** Per round: the share of one CPU the two servers used together (1 when they saturate it). */
  busy: number[];
  /** Failed requests (non-2xx, socket errors) of both load generators over the rounds. */
  errors: number;
  /** Medians of the above. */
  ratio: number;
  cpuRatio: number;
}

/**
 * Whether BENCH_H2H_BASELINE or BENCH_H2H_ONLY narrows this run, or
 * BENCH_BASE_TREE adds a local tree's build (its tables are then only printed).
 */
export function headToHeadNarrowed(): boolean {
  return Boolean(
    process.env.BENCH_H2H_BASELINE || process.env.BENCH_H2H_ONLY || process.env.BENCH_BASE_TREE,
  );
}

/**
 * Runs every contender head to head with the baseline and prints a table of
 * the median ratios (requests served, CPU per request) with their range over
 * the rounds, and writes it to bench/RESULTS.md when the rule of trust.ts
 * accepts it (see `publishResults`). Needs wrk; with taskset and two CPUs or
 * more, the servers share CPU 0 and the two wrk processes CPU 1. Resolves to
 * the rows, or to an empty list (with a line saying why) when wrk is missing.
 */
export async function runHeadToHead(options: HeadToHeadOptions): Promise<HeadToHeadRow[]> {
  const run = await beginRun();
  const duration = envNumber('BENCH_H2H_DURATION', options.duration ?? 5);
  const rounds = envNumber('BENCH_H2H_ROUNDS', options.rounds ?? 5);
  const connections = envNumber('BENCH_CONNECTIONS', options.connections ?? 32);
  const path = options.path ?? '/';
  // BENCH_H2H_BASELINE names another contender to hold the rest against;
  // BENCH_H2H_ONLY (comma-separated names) keeps only those contenders.
  const baseName = process.env.BENCH_H2H_BASELINE || options.contenders[0]?.name;
  const only = process.env.BENCH_H2H_ONLY?.split(',').filter((name) => name !== '');
  const baseline = options.contenders.find((c) => c.name === baseName);
  const others = options.contenders.filter(
    (c) => c !== baseline && (only === undefined || only.includes(c.name)),
  );
  console.log(`\n## ${options.title}\n`);
  const wrk = options.load === undefined ? findWrk() : undefined;
  if (baseline === undefined || others.length === 0 || rounds < 1) {
    console.log(
      `skipped: no baseline named ${JSON.stringify(baseName)}, no contender besides it, or BENCH_H2H_ROUNDS=0`,
    );
    return [];
  }
  if (options.load === undefined && wrk === undefined) {
    console.log('skipped: the head-to-head runs need wrk (apt-get install wrk)');
    return [];
  }
  const script = options.wrkScript;
  const scriptArg = script === undefined ? '' : ` -s ${basename(script)}`;
  const load: LoadGenerator = options.load ?? {
    name: versionOf(wrk!, ['-v']),
    run: (url, seconds, open, cpu) => runWrkAsync(wrk!, url, seconds, open, cpu, script),
    command: (seconds, open) =>
      `wrk -t1 -c${open} -d${seconds}s --latency${scriptArg} <url>${path}`,
  };
  const pinned = findTaskset() !== undefined && cpus().length >= 2;
  const serverCpu = pinned ? '0' : undefined;
  const loadCpu = pinned ? '1' : undefined;
  const command = load.command(duration, connections);
  console.log(
    `each contender serves at the same time as ${baseline.name}${pinned ? ', both pinned to CPU 0 (taskset -c 0), each driven by its own load generator pinned to CPU 1' : ' (taskset or a second CPU missing: not pinned)'}; ${rounds} rounds of ${duration} s, fresh processes and a 1 s warm-up each`,
  );

  const rows: HeadToHeadRow[] = [];
  for (const contender of others) {
    const row: HeadToHeadRow = {
      name: contender.name,
      ratios: [],
      cpuRatios: [],
      busy: [],
      errors: 0,
      ratio: 0,
      cpuRatio: 0,
    };
    for (let round = 0; round < rounds; round++) {
      const [base, other] = await Promise.all([
        startContender(baseline, serverCpu),
        startContender(contender, serverCpu),
      ]);
      try {
        const baseUrl = `${base.url}${path}`;
        const otherUrl = `${other.url}${path}`;
        await Promise.all([
          load.run(baseUrl, 1, connections, loadCpu),
          load.run(otherUrl, 1, connections, loadCpu),
        ]);
        const baseCpu = base.cpuMs();
        const otherCpu = other.cpuMs();
        const started = performance.now();
        const [baseSample, otherSample] = await Promise.all([
          load.run(baseUrl, duration, connections, loadCpu),
          load.run(otherUrl, duration, connections, loadCpu),
        ]);
        // the wall time of the runs: a generator with its own warm-up (h2load) runs longer than `duration`
        const elapsed = performance.now() - started;
        const baseUsed = base.cpuMs() - baseCpu;
        const otherUsed = other.cpuMs() - otherCpu;
        const basePerRequest = baseUsed / baseSample.requests;
        const otherPerRequest = otherUsed / otherSample.requests;
        row.busy.push((baseUsed + otherUsed) / elapsed);
        const ratio = otherSample.requests / baseSample.requests;
        const cpuRatio = otherPerRequest / basePerRequest;
        row.ratios.push(ratio);
        row.cpuRatios.push(cpuRatio);
        const errors = baseSample.errors + otherSample.errors;
        row.errors += errors;
        console.log(
          `  round ${round + 1}/${rounds} ${contender.name.padEnd(20)} ${Math.round(otherSample.requestsPerSecond).toString().padStart(6)} vs ${Math.round(baseSample.requestsPerSecond).toString().padStart(6)} req/s  ratio ${ratio.toFixed(3)}  cpu ratio ${cpuRatio.toFixed(3)}${errors > 0 ? `  (${errors} errors!)` : ''}`,
        );
      } finally {
        await Promise.all([base.stop(), other.stop()]);
      }
    }
    row.ratio = median(row.ratios);
    row.cpuRatio = median(row.cpuRatios);
    rows.push(row);
  }

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
        `${formatRatio(row.ratio)}×`,
        formatRange(row.ratios),
        `${formatRatio(row.cpuRatio)}×`,
        formatRange(row.cpuRatios),
      ]),
    ],
  );
  const busy = median(rows.flatMap((row) => row.busy));
  const errors = rows.reduce((sum, row) => sum + row.errors, 0);
  const notes = [
    `- ${pinned ? 'both servers pinned to CPU 0, each load generator to CPU 1' : 'not pinned (taskset or a second CPU missing)'}; ${rounds} round(s) of ${duration} s per contender, fresh processes and a 1 s warm-up each`,
    `- load generator: ${load.name}; per server per round: \`${pinned ? 'taskset -c 1 ' : ''}${command}\``,
    `- the two servers together used a median ${(100 * busy).toFixed(0)} % of ${pinned ? 'their CPU' : 'one CPU'}${busy < 0.9 ? ': below 100 %, the load generators bound the requests served, and the CPU-per-request ratio is the one to judge' : ''}`,
    ...(errors > 0 ? [`- ${errors} failed requests over the rounds`] : []),
    ...(options.notes ?? []),
    `- versions: ${[baseline, ...others].map((c) => c.version ?? c.name).join(', ')}`,
  ];
  const measured: Measured = {
    rounds,
    pinned,
    errors,
    ratios: rows.flatMap((row) => [
      { label: `${row.name}: requests served`, values: row.ratios },
      { label: `${row.name}: CPU per request`, values: row.cpuRatios },
    ]),
  };
  const id = headToHeadNarrowed() ? undefined : options.results;
  publishTable(options, rows, { id, run, table, notes, measured });
  return rows;
}
