import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach } from 'vitest';
import { watchOutput } from './watch-output.js';

/** The bundled CLI the global setup builds. */
export const CLI = fileURLToPath(
  new URL('../../node_modules/.cache/tsgi-cli/cli.js', import.meta.url),
);
/** The fixtures folder. */
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** A running `tsgi` process and what it printed. */
export interface Tsgi {
  readonly child: ChildProcess;
  /** stderr so far (the master's and workers' log lines). */
  stderr(): string;
  stdout(): string;
  /** Resolves with the address from the "listening on ..." line. */
  readonly listening: Promise<string>;
  /** Resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | string>;
  /** Resolves once stderr matches `pattern` (rejects after `ms`). */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
}

const running: ChildProcess[] = [];
const forFile: ChildProcess[] = [];

function killAll(children: ChildProcess[]): void {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        // the whole group: the master and its workers
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }
  }
}

afterEach(() => killAll(running));
afterAll(() => killAll(forFile));

/** Starts `node <bundled cli> ...args` in its own process group. */
export function startTsgi(
  args: string[],
  options: {
    env?: Record<string, string>;
    cwd?: string;
    command?: string[];
    /** Keep it for the whole file (killed after all tests) instead of after this test. */
    wholeFile?: boolean;
  } = {},
): Tsgi {
  const [command, ...prefix] = options.command ?? [process.execPath, CLI];
  const child = spawn(command!, [...prefix, ...args], {
    cwd: options.cwd ?? FIXTURES,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  (options.wholeFile === true ? forFile : running).push(child);
  const err = watchOutput(child, ['stderr'], 'tsgi');
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  const waitFor = (pattern: RegExp, ms = 15_000) => err.waitFor(pattern, ms);
  const listening = waitFor(/listening on (\S+)/).then((m) => m[1]!);
  listening.catch(() => {});
  return { child, stderr: err.text, stdout: () => out, listening, exited, waitFor };
}

/** Pids of the worker processes the master reported ready and that still run. */
export function readyWorkers(log: string): number[] {
  const pids = [...log.matchAll(/worker \d+ \(pid (\d+)\) ready/g)].map((m) => Number(m[1]));
  const gone = new Set(
    [...log.matchAll(/worker \d+ \(pid (\d+)\) (?:exited|died)/g)].map((m) => Number(m[1])),
  );
  return pids.filter((pid) => !gone.has(pid));
}

/** Waits until `count` workers are ready (in any order) and none of them has exited since. */
export async function waitReady(tsgi: Tsgi, count: number, ms = 15_000): Promise<number[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const pids = readyWorkers(tsgi.stderr());
    if (pids.length >= count) return pids;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${count} ready workers:\n${tsgi.stderr()}`);
    if (tsgi.child.exitCode !== null) throw new Error(`tsgi exited:\n${tsgi.stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
