/**
 * The pieces of the HTTP benchmarks: a contender's server in its own child
 * process (optionally pinned to CPUs with taskset), the CPU time of its process
 * tree, and wrk runs, blocking or not. `runHeadToHead` (head-to-head.ts) puts
 * them together.
 *
 * A contender's server prints one line `{"port": N}` on stdout once it
 * listens. See bench/README.md.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

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
  /** `'https'` for a server that speaks TLS on its port (its url is then `https://…`). Default `'http'`. */
  scheme?: 'http' | 'https';
}

/** What one wrk run reports. */
export interface Sample {
  requestsPerSecond: number;
  /** p99 latency in milliseconds. */
  p99: number;
  /** Non-2xx responses and socket errors; a run with any is reported. */
  errors: number;
  /** Requests completed in the run. */
  requests: number;
}

/** A number from the environment (e.g. `BENCH_H2H_ROUNDS`), or `fallback` when unset or empty. */
export function envNumber(name: string, fallback: number): number {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : Number(value);
}

/** The path of `wrk` when installed. */
export function findWrk(): string | undefined {
  return findCommand('wrk');
}

/** The path of a command on `PATH`, or `undefined`. */
export function findCommand(name: string): string | undefined {
  try {
    return (
      execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

/** A contender's server, started. */
export interface Running {
  url: string;
  /** The server's process id (taskset execs the command, so it is the server's own). */
  pid: number | undefined;
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
          resolve(`${contender.scheme ?? 'http'}://127.0.0.1:${parsed.port}`);
        }
      } catch {
        // not our line; servers may log
      }
    });
  });
  return {
    url,
    pid: child.pid,
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
 * wrk is pinned to those CPUs (`taskset -c`); with `script`, wrk runs that Lua
 * script (`-s`), e.g. one that makes every request a POST with a body.
 */
export function runWrkAsync(
  wrk: string,
  url: string,
  seconds: number,
  connections: number,
  cpu?: string,
  script?: string,
): Promise<Sample> {
  return runPinned(cpu, wrk, wrkArgs(url, seconds, connections, script), seconds).then(parseWrk);
}

/** wrk's arguments for one run: one thread, `connections` open, latency percentiles, the Lua `script` if any. */
function wrkArgs(url: string, seconds: number, connections: number, script?: string): string[] {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency'];
  if (script !== undefined) args.push('-s', script);
  args.push(url);
  return args;
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
