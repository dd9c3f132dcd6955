/**
 * Head-to-head runs of in-process work (route lookups, in-process requests,
 * middleware calls, queries): the baseline's operation and the contender's
 * each loop in a child process of their own (in-process-child.ts), both
 * started at once and pinned to the same CPU (`taskset -c 0`), for the same
 * seconds. Each child reports the operations it did and its own CPU time
 * (`process.cpuUsage()`); per round the ratios are the contender's operations
 * per CPU-second ÷ the baseline's, and its operations done ÷ the baseline's.
 * Whatever else runs on that CPU slows both alike. Fresh processes every round;
 * the table shows the median and the range over the rounds. See bench/README.md.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { envNumber, findTaskset } from './harness.ts';
import { beginRun } from './machine.ts';
import { formatRange, formatRatio, markdownTable, publishTable } from './results.ts';
import { type Measured, median } from './trust.ts';

/**
 * What a workload module's `prepare` returns: `run` does `weight` operations
 * (default 1) per call, synchronously or as a promise; `close` (optional)
 * cleans up after the measurement.
 */
export interface Operation {
  run(): unknown;
  weight?: number;
  close?(): unknown;
}

/**
 * The export a workload module must have: `prepare(workload)` builds the
 * operation named `workload` (checking its answer first, where it can).
 */
export type Prepare = (workload: string) => Operation | Promise<Operation>;

/** One side of a comparison: its name in the table and the workload its child prepares. */
export interface InProcessSide {
  name: string;
  workload: string;
}

/** One comparison: row labels, the baseline and the contender held against it. */
export interface InProcessPair {
  /** The row's label cells, one per `labelHeaders` entry (e.g. route set, lookup). */
  labels: string[];
  baseline: InProcessSide;
  contender: InProcessSide;
}

/** What an in-process head-to-head runs. */
export interface InProcessOptions {
  title: string;
  /** Id of the table's section of bench/RESULTS.md, or `undefined` to print only. */
  results: string | undefined;
  /** Absolute path of the workload module (it exports `prepare`, a {@link Prepare}). */
  module: string;
  /** Headers of the label columns before the contender's, e.g. `['route set', 'lookup']`. */
  labelHeaders?: string[];
  pairs: InProcessPair[];
  /** What one operation is, plural, e.g. `'lookups'`. */
  unit: string;
  /** Seconds each pair loops per round (env BENCH_H2H_DURATION overrides). Default 2. */
  duration?: number;
  /** Rounds per pair, fresh processes each (env BENCH_H2H_ROUNDS overrides). Default 5. */
  rounds?: number;
  /** Seconds of warm-up in each child before the measured loop. Default 0.5. */
  warmup?: number;
  /** More lines for the notes under the table (versions, what each side does). */
  notes?: string[];
  /**
   * Lines computed from the rows (medians only), added under the notes; they
   * are written or refused with the table.
   */
  conclusions?: (rows: InProcessRow[]) => string[];
}

/** One comparison's result. */
export interface InProcessRow extends InProcessPair {
  /** Per round: the contender's operations per CPU-second ÷ the baseline's. */
  rateRatios: number[];
  /** Per round: the contender's operations done ÷ the baseline's, in the same seconds. */
  doneRatios: number[];
  /** Per round: CPU nanoseconds per operation of the contender, and of the baseline. */
  cpuPerOp: number[];
  baseCpuPerOp: number[];
  rateRatio: number;
  doneRatio: number;
}

/** What a child reports after its measured loop. */
interface Report {
  ops: number;
  cpuMicros: number;
  wallMs: number;
}

const CHILD = fileURLToPath(new URL('./in-process-child.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

/** Starts one child: prepare, warm up, then report `ready` and wait for `go`. */
function startChild(
  module: string,
  workload: string,
  seconds: number,
  warmup: number,
  pinned: boolean,
) {
  const args = ['--import', TSX, CHILD, module, workload, String(seconds), String(warmup)];
  const [command, rest] = pinned
    ? ['taskset', ['-c', '0', process.execPath, ...args]]
    : [process.execPath, args];
  const child: ChildProcess = spawn(command, rest, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const next = <T>(what: string, ms: number) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${workload}: no ${what} in ${ms} ms`)), ms);
      const fail = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`${workload}: exited with ${code} before ${what}`));
      };
      child.once('exit', fail);
      child.once('message', (message) => {
        clearTimeout(timer);
        child.off('exit', fail);
        resolve(message as T);
      });
    });
  const ready = next<{ ready: true }>('ready', 120_000);
  return {
    ready,
    go: () => {
      const report = next<Report>('report', (seconds + 60) * 1000);
      child.send('go');
      return report;
    },
    async stop() {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      if (child.exitCode === null && child.connected) child.disconnect();
      await exited;
      clearTimeout(timer);
    },
  };
}

/** One round of one pair: both children at once; resolves to their reports. */
async function round(
  options: InProcessOptions,
  pair: InProcessPair,
  seconds: number,
  warmup: number,
  pinned: boolean,
) {
  const base = startChild(options.module, pair.baseline.workload, seconds, warmup, pinned);
  const other = startChild(options.module, pair.contender.workload, seconds, warmup, pinned);
  try {
    await Promise.all([base.ready, other.ready]);
    return await Promise.all([base.go(), other.go()]);
  } finally {
    await Promise.all([base.stop(), other.stop()]);
  }
}

const perSecond = (r: Report) => r.ops / (r.cpuMicros / 1e6);
const nsPerOp = (r: Report) => (r.cpuMicros * 1000) / r.ops;

/** A CPU time per operation for the table, three significant digits: `12.3 ns`, `4.23 µs`, `1.20 ms`. */
function formatCpu(ns: number): string {
  if (ns < 999.5) return `${ns.toPrecision(3)} ns`;
  if (ns < 999_500) return `${(ns / 1e3).toPrecision(3)} µs`;
  return `${(ns / 1e6).toPrecision(3)} ms`;
}

/**
 * Runs every pair head to head for the rounds, prints a table of the median
 * ratios with their ranges and writes it to bench/RESULTS.md when the rule of
 * trust.ts accepts it. A child that fails stops the run.
 */
export async function runInProcessHeadToHead(options: InProcessOptions): Promise<InProcessRow[]> {
  const run = await beginRun();
  const duration = envNumber('BENCH_H2H_DURATION', options.duration ?? 2);
  const rounds = envNumber('BENCH_H2H_ROUNDS', options.rounds ?? 5);
  const warmup = options.warmup ?? 0.5;
  const pinned = findTaskset() !== undefined;
  console.log(`\n## ${options.title}\n`);
  if (rounds < 1 || options.pairs.length === 0) {
    console.log('skipped: BENCH_H2H_ROUNDS=0 or nothing to compare');
    return [];
  }
  console.log(
    `baseline and contender loop at the same time in two processes${pinned ? ', both pinned to CPU 0 (taskset -c 0)' : ' (taskset missing: not pinned)'}; ${rounds} rounds of ${duration} s, fresh processes and a ${warmup} s warm-up each`,
  );
  const rows: InProcessRow[] = [];
  for (const pair of options.pairs) {
    const row: InProcessRow = {
      ...pair,
      rateRatios: [],
      doneRatios: [],
      cpuPerOp: [],
      baseCpuPerOp: [],
      rateRatio: 0,
      doneRatio: 0,
    };
    for (let i = 0; i < rounds; i++) {
      const [base, other] = await round(options, pair, duration, warmup, pinned);
      row.rateRatios.push(perSecond(other) / perSecond(base));
      row.doneRatios.push(other.ops / base.ops);
      row.cpuPerOp.push(nsPerOp(other));
      row.baseCpuPerOp.push(nsPerOp(base));
      console.log(
        `  round ${i + 1}/${rounds} ${[...pair.labels, pair.contender.name].join(' · ')} vs ${pair.baseline.name}: per CPU-second ${formatRatio(row.rateRatios.at(-1)!)}, done ${formatRatio(row.doneRatios.at(-1)!)} (CPU ${(other.cpuMicros / 1000).toFixed(0)} + ${(base.cpuMicros / 1000).toFixed(0)} ms of ${(other.wallMs / 1000).toFixed(1)} s)`,
      );
    }
    row.rateRatio = median(row.rateRatios);
    row.doneRatio = median(row.doneRatios);
    rows.push(row);
  }

  const headers = options.labelHeaders ?? [];
  const table = markdownTable(
    [
      ...headers,
      'contender',
      'against',
      `${options.unit} per CPU-second (median)`,
      'range over rounds',
      `${options.unit} done in the same seconds (median)`,
      'range',
      'CPU per operation (median): contender / against',
    ],
    rows.map((row) => [
      ...row.labels,
      row.contender.name,
      row.baseline.name,
      `${formatRatio(row.rateRatio)}×`,
      formatRange(row.rateRatios),
      `${formatRatio(row.doneRatio)}×`,
      formatRange(row.doneRatios),
      `${formatCpu(median(row.cpuPerOp))} / ${formatCpu(median(row.baseCpuPerOp))}`,
    ]),
    headers.length + 2,
  );
  const notes = [
    `- ratios: the contender's figure ÷ the one it is held against (>1: the contender does more); ${rounds} round(s) of ${duration} s per row, fresh processes and a ${warmup} s warm-up each`,
    `- ${pinned ? 'both processes pinned to CPU 0 (`taskset -c 0`)' : 'not pinned (taskset missing)'}, each looping its operation and reporting the ${options.unit} it did and its own CPU time (\`process.cpuUsage()\`)`,
    ...(options.notes ?? []),
  ];
  const measured: Measured = {
    rounds,
    pinned,
    errors: 0,
    ratios: rows.flatMap((row) => {
      const label = [...row.labels, row.contender.name, `vs ${row.baseline.name}`].join(' · ');
      return [
        { label: `${label}: ${options.unit} per CPU-second`, values: row.rateRatios },
        { label: `${label}: ${options.unit} done`, values: row.doneRatios },
      ];
    }),
  };
  publishTable(options, rows, { id: options.results, run, table, notes, measured });
  return rows;
}
