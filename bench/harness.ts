/**
 * A small HTTP benchmark harness: each contender runs in its own child
 * process, the load generator (wrk when installed, else autocannon) drives it
 * on loopback, contenders alternate over several rounds, and the table shows
 * the median requests/s and p99 latency with ratios to a baseline.
 *
 * A contender's server prints one line `{"port": N}` (or `{"socket": path}`)
 * on stdout once it listens. See bench/README.md.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { markdownTable, publishResults } from './results.ts';

/** One server to measure. */
export interface Contender {
  /** Name in the table, e.g. `'@tsgi/node'`. */
  name: string;
  /** Command and arguments that start the server, e.g. `['node', 'servers/raw.mjs']`. */
  command: string[];
  /** Working directory of the server (default: the current one). */
  cwd?: string;
  /** Extra environment of the server. */
  env?: Record<string, string>;
  /** Version string printed under the table, e.g. `'fastify 5.12.8'`. */
  version?: string;
}

/** What one run of a bench measures. */
export interface BenchOptions {
  /** Title printed above the table. */
  title: string;
  /** Id of this table's section of bench/RESULTS.md (`[a-z0-9-]+`), rewritten by each full run. */
  results: string;
  contenders: Contender[];
  /** Name of the contender the ratios are taken against (default: the first). */
  baseline?: string;
  /** Path requested, default `/`. */
  path?: string;
  /** Seconds of load per contender per round (env BENCH_DURATION overrides). Default 10. */
  duration?: number;
  /** Rounds; contenders alternate in each (env BENCH_ROUNDS overrides). Default 3. */
  rounds?: number;
  /** Open connections (env BENCH_CONNECTIONS overrides). Default 32, as in ANCHORS.md. */
  connections?: number;
  /** Seconds of warm-up load before each measured run. Default 1. */
  warmup?: number;
}

/** One measurement. */
export interface Sample {
  requestsPerSecond: number;
  /** p99 latency in milliseconds. */
  p99: number;
  /** Non-2xx responses and socket errors; a run with any is reported. */
  errors: number;
  /** Requests completed in the run. */
  requests: number;
  /**
   * Server CPU time (user + system) per request in microseconds, read from
   * /proc (Linux only, else NaN). Far less sensitive than req/s to other load
   * on a shared machine: compare these when the req/s figures are noisy.
   */
  cpuPerRequest: number;
}

/** The median row of one contender. */
export interface Row {
  name: string;
  requestsPerSecond: number;
  p99: number;
  ratio: number;
  /** Median server CPU µs per request, and its ratio to the baseline's (lower is better). */
  cpuPerRequest: number;
  cpuRatio: number;
  /**
   * Median over the rounds of this contender's req/s divided by the baseline's
   * in the same round: paired, so a round where the whole machine was slow
   * weighs on both sides. Steadier than `ratio` when req/s swings between rounds.
   */
  pairedRatio: number;
  samples: Sample[];
}

/** A number from the environment (e.g. `BENCH_ROUNDS`), or `fallback` when unset or empty. */
export function envNumber(name: string, fallback: number): number {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : Number(value);
}

/** The path of `wrk` when installed. */
export function findWrk(): string | undefined {
  return findCommand('wrk');
}

/** The path of a command on `PATH`, or `undefined`. */
function findCommand(name: string): string | undefined {
  try {
    return (
      execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

/** The median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Running {
  url: string;
  /** CPU time (user + system) the server and its child processes have used so far, in ms; NaN off Linux. */
  cpuMs(): number;
  stop(): Promise<void>;
}

const TICKS_PER_SECOND = 100;

interface ProcStat {
  ppid: number;
  cpuMs: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the ")" of the command name: state is field 3, ppid 4, utime 14, stime 15
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      ppid: Number(fields[1]),
      cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND,
    };
  } catch {
    return undefined;
  }
}

/**
 * CPU time (user + system, ms) of a process and all its live descendants, so a
 * contender that forks workers (cluster, nginx) is counted whole. NaN off Linux.
 */
function processTreeCpuMs(root: number | undefined): number {
  if (root === undefined) return Number.NaN;
  const own = readStat(root);
  if (own === undefined) return Number.NaN;
  const stats = new Map<number, ProcStat>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === root) continue;
    const stat = readStat(pid);
    if (stat !== undefined) stats.set(pid, stat);
  }
  let total = own.cpuMs;
  const tree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, stat] of stats) {
      if (!tree.has(pid) && tree.has(stat.ppid)) {
        tree.add(pid);
        total += stat.cpuMs;
        grew = true;
      }
    }
  }
  return total;
}

/** The path of `taskset` (util-linux) when installed, to pin processes to CPUs. */
export function findTaskset(): string | undefined {
  return findCommand('taskset');
}

/**
 * Starts a contender's server and waits for its `{"port": N}` line (15 s at most).
 * With `cpu` (a `taskset -c` list such as `'0'`) the server is pinned to those CPUs;
 * taskset execs the command, so the child's pid is still the server's.
 */
export async function startContender(contender: Contender, cpu?: string): Promise<Running> {
  const [command, ...args] =
    cpu === undefined ? contender.command : ['taskset', '-c', cpu, ...contender.command];
  const child = spawn(command!, args, {
    cwd: contender.cwd,
    env: { ...process.env, ...contender.env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${contender.name}: no {"port"} line within 15 s`)),
      15_000,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${contender.name}: exited with ${code} before listening`));
    });
    lines.on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { port?: number };
        if (typeof parsed.port === 'number') {
          clearTimeout(timer);
          resolve(`http://127.0.0.1:${parsed.port}`);
        }
      } catch {
        // not our line; servers may log
      }
    });
  });
  return {
    url,
    cpuMs: () => processTreeCpuMs(child.pid),
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function parseDuration(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (match === null) return Number.NaN;
  const value = Number(match[1]);
  const unit = match[2];
  return unit === 'us'
    ? value / 1000
    : unit === 'ms'
      ? value
      : unit === 's'
        ? value * 1000
        : value * 60_000;
}

/** Runs wrk once and parses its report. */
export function runWrk(wrk: string, url: string, seconds: number, connections: number): Sample {
  const output = execFileSync(wrk, wrkArgs(url, seconds, connections), {
    encoding: 'utf8',
    timeout: (seconds + 30) * 1000,
  });
  return parseWrk(output);
}

/** `command args`, under `taskset -c cpu` when `cpu` is given (a load generator pinned to a CPU). */
export function pinnedCommand(
  cpu: string | undefined,
  command: string,
  args: string[],
): [string, string[]] {
  return cpu === undefined ? [command, args] : ['taskset', ['-c', cpu, command, ...args]];
}

/**
 * Runs a load generator for `seconds` without blocking (so two can run at once),
 * pinned to `cpu` when given, and resolves with its standard output; it is
 * cut 30 s past its time.
 */
export function runPinned(
  cpu: string | undefined,
  command: string,
  args: string[],
  seconds: number,
): Promise<string> {
  const [file, rest] = pinnedCommand(cpu, command, args);
  return new Promise((resolve, reject) => {
    execFile(file, rest, { encoding: 'utf8', timeout: (seconds + 30) * 1000 }, (error, stdout) => {
      if (error) reject(error);
      else resolve(stdout);
    });
  });
}

/**
 * Runs wrk once without blocking, so two can run at the same time; with `cpu`
 * wrk is pinned to those CPUs (`taskset -c`).
 */
export function runWrkAsync(
  wrk: string,
  url: string,
  seconds: number,
  connections: number,
  cpu?: string,
): Promise<Sample> {
  return runPinned(cpu, wrk, wrkArgs(url, seconds, connections), seconds).then(parseWrk);
}

/** wrk's arguments for one run: one thread, `connections` open, latency percentiles. */
function wrkArgs(url: string, seconds: number, connections: number): string[] {
  return ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url];
}

/** Reads requests/s, p99, errors and the request count out of wrk's report. */
function parseWrk(output: string): Sample {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output);
  const total = /(\d+) requests in/.exec(output);
  const p99 = /^\s+99%\s+(\S+)/m.exec(output);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    output,
  );
  const errors =
    Number(non2xx?.[1] ?? 0) +
    (socketErrors === null ? 0 : socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0));
  return {
    requestsPerSecond: Number(rps?.[1] ?? Number.NaN),
    p99: p99 === null ? Number.NaN : parseDuration(p99[1]!),
    errors,
    requests: Number(total?.[1] ?? Number.NaN),
    cpuPerRequest: Number.NaN,
  };
}

// A variable specifier: autocannon ships no types, and only this fallback needs it.
const AUTOCANNON = 'autocannon';

/** Runs autocannon once (in this process: it is the load generator, never the server). */
export async function runAutocannon(
  url: string,
  seconds: number,
  connections: number,
): Promise<Sample> {
  const { default: autocannon } = (await import(AUTOCANNON)) as unknown as {
    default: (options: object) => Promise<{
      requests: { average: number; total: number };
      latency: { p99: number };
      non2xx: number;
      errors: number;
    }>;
  };
  const result = await autocannon({ url, connections, duration: seconds, pipelining: 1 });
  return {
    requestsPerSecond: result.requests.average,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors,
    requests: result.requests.total,
    cpuPerRequest: Number.NaN,
  };
}

/** First line of a tool's version output (`wrk -v` exits with 1 but prints it). */
export function versionOf(command: string, args: string[]): string {
  let output: string;
  try {
    output = execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    // `wrk -v` prints its version and exits with 1
    const failed = error as { stdout?: string; stderr?: string };
    output = `${failed.stdout ?? ''}${failed.stderr ?? ''}`;
  }
  return output.split('\n')[0]!.trim() || 'unknown';
}

/** Runs the whole bench and prints the table; resolves to the rows. */
export async function runBench(options: BenchOptions): Promise<Row[]> {
  const duration = envNumber('BENCH_DURATION', options.duration ?? 10);
  const rounds = envNumber('BENCH_ROUNDS', options.rounds ?? 3);
  const connections = envNumber('BENCH_CONNECTIONS', options.connections ?? 32);
  const warmup = options.warmup ?? 1;
  const path = options.path ?? '/';
  const wrk = process.env.BENCH_TOOL === 'autocannon' ? undefined : findWrk();
  const tool = wrk === undefined ? 'autocannon 9 (pipelining 1)' : versionOf(wrk, ['-v']) || 'wrk';
  const command =
    wrk === undefined
      ? `autocannon -c ${connections} -d ${duration} <url>${path}`
      : `wrk -t1 -c${connections} -d${duration}s --latency <url>${path}`;
  const loadBefore = loadavg()[0]!;
  const samples = new Map<string, Sample[]>(options.contenders.map((c) => [c.name, []]));

  console.log(`\n## ${options.title}\n`);
  if (rounds < 1) {
    console.log('skipped: BENCH_ROUNDS=0');
    return [];
  }
  console.log(`load: ${command}; ${rounds} rounds, contenders alternate, each in its own process`);
  for (let round = 0; round < rounds; round++) {
    // Rotate the order each round so no contender always runs first or last.
    const order = options.contenders.map(
      (_, i) => options.contenders[(i + round) % options.contenders.length]!,
    );
    for (const contender of order) {
      const running = await startContender(contender);
      try {
        const url = `${running.url}${path}`;
        if (warmup > 0) {
          if (wrk === undefined) await runAutocannon(url, warmup, connections);
          else runWrk(wrk, url, warmup, connections);
        }
        const cpuBefore = running.cpuMs();
        const sample =
          wrk === undefined
            ? await runAutocannon(url, duration, connections)
            : runWrk(wrk, url, duration, connections);
        sample.cpuPerRequest = ((running.cpuMs() - cpuBefore) * 1000) / sample.requests;
        samples.get(contender.name)!.push(sample);
        const rps = Math.round(sample.requestsPerSecond).toString().padStart(7);
        const warn = sample.errors > 0 ? `  (${sample.errors} errors!)` : '';
        console.log(
          `  round ${round + 1}/${rounds} ${contender.name.padEnd(20)} ${rps} req/s  p99 ${sample.p99.toFixed(2)} ms  cpu ${sample.cpuPerRequest.toFixed(1)} µs/req${warn}`,
        );
      } finally {
        await running.stop();
      }
    }
  }

  const baselineName = options.baseline ?? options.contenders[0]!.name;
  const rows: Row[] = options.contenders.map((c) => {
    const list = samples.get(c.name)!;
    return {
      name: c.name,
      requestsPerSecond: median(list.map((s) => s.requestsPerSecond)),
      p99: median(list.map((s) => s.p99)),
      ratio: 0,
      cpuPerRequest: median(list.map((s) => s.cpuPerRequest)),
      cpuRatio: 0,
      pairedRatio: 0,
      samples: list,
    };
  });
  const baseRow = rows.find((r) => r.name === baselineName)!;
  for (const row of rows) {
    row.ratio = row.requestsPerSecond / baseRow.requestsPerSecond;
    row.cpuRatio = row.cpuPerRequest / baseRow.cpuPerRequest;
    row.pairedRatio = median(
      row.samples.map((s, i) => s.requestsPerSecond / baseRow.samples[i]!.requestsPerSecond),
    );
  }

  const loadAfter = loadavg()[0]!;
  const busy = Math.max(loadBefore, loadAfter) > cpus().length;
  const failed = rows.filter((r) => r.samples.some((s) => s.errors > 0));
  const table = markdownTable(
    [
      'server',
      'req/s (median)',
      `vs ${baselineName}`,
      'same-round ratio (median)',
      'p99 latency',
      'server CPU per request',
      `CPU vs ${baselineName}`,
    ],
    rows.map((row) => [
      row.name,
      Math.round(row.requestsPerSecond).toLocaleString('en-US'),
      `${row.ratio.toFixed(2)}×`,
      `${row.pairedRatio.toFixed(2)}×`,
      `${row.p99.toFixed(2)} ms`,
      `${row.cpuPerRequest.toFixed(1)} µs`,
      `${row.cpuRatio.toFixed(2)}×`,
    ]),
  );
  const notes = [
    `- load generator: ${tool}; per run: \`${command}\`, ${rounds} round(s), contenders alternate`,
    `- versions: ${options.contenders.map((c) => c.version ?? c.name).join(', ')}`,
    `- load average (1 min) before ${loadBefore.toFixed(2)}, after ${loadAfter.toFixed(2)}${
      busy ? ' (above the CPU count: other work skews req/s; CPU per request holds up better)' : ''
    }`,
    ...(failed.length > 0
      ? [`- WARNING: errors during the runs of ${failed.map((r) => r.name).join(', ')}`]
      : []),
  ];
  publishResults(options.results, options.title, `${table}\n\n${notes.join('\n')}`);
  return rows;
}
