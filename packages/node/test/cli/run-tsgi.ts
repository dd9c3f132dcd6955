import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach } from 'vitest';
import {
  BOUNDS,
  bound,
  killQuietly,
  stopGroup,
  until,
} from '../../../../tools/test-support/index.ts';
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
  /**
   * Resolves once stderr matches `pattern`; rejects after `ms` (unscaled,
   * `BOUNDS.process` by default) or once tsgi exited without printing it,
   * with what it printed.
   */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** What it printed, for an error message. */
  output(): string;
}

const running: ChildProcess[] = [];
const forFile: ChildProcess[] = [];

/**
 * Kills each process group (the master and its workers) with SIGKILL, whether
 * its master is still there or not: workers a dead master left behind go too.
 * A group that is gone already is no error.
 */
function killAll(children: ChildProcess[]): void {
  for (const child of children.splice(0)) killQuietly(child.pid, 'SIGKILL');
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
    /** A file descriptor for its stdout (a file the test opened); `stdout()` is then empty. */
    stdout?: number;
  } = {},
): Tsgi {
  const [command, ...prefix] = options.command ?? [process.execPath, CLI];
  const child = spawn(command!, [...prefix, ...args], {
    cwd: options.cwd ?? FIXTURES,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'],
    detached: true,
  });
  (options.wholeFile === true ? forFile : running).push(child);
  const err = watchOutput(child, ['stderr'], 'tsgi');
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  const output = () => `tsgi ${args.join(' ')}\n--- stderr:\n${err.text()}--- stdout:\n${out}`;
  const waitFor = async (pattern: RegExp, ms: number = BOUNDS.process) => {
    let match: RegExpExecArray | null = null;
    // Seen exited at an earlier look: what it printed before it exited has been read since.
    let gone = false;
    await until(
      () => {
        match = pattern.exec(err.text());
        if (match !== null) return true;
        if (gone) {
          throw new Error(
            `tsgi exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}:\n${output()}`,
          );
        }
        gone = child.exitCode !== null || child.signalCode !== null;
        return false;
      },
      { ms, what: `${pattern} in tsgi's stderr`, details: output },
    );
    return match as unknown as RegExpMatchArray;
  };
  const listening = waitFor(/listening on (\S+)/).then((m) => m[1]!);
  listening.catch(() => {});
  return { child, stderr: err.text, stdout: () => out, listening, exited, waitFor, output };
}

/**
 * Stops `tsgi` (if it was started and still runs) with SIGTERM and waits for
 * it to exit; after `BOUNDS.process` its whole group is killed. Either way,
 * workers its master left behind are killed too. Never throws for a process
 * that is gone already.
 */
export async function stopTsgi(tsgi: Tsgi | undefined): Promise<void> {
  if (tsgi === undefined) return;
  await stopGroup(tsgi.child, tsgi.exited, { graceMs: bound(BOUNDS.process) });
}

/** Pids of the worker processes the master reported ready and that still run. */
export function readyWorkers(log: string): number[] {
  const pids = [...log.matchAll(/worker \d+ \(pid (\d+)\) ready/g)].map((m) => Number(m[1]));
  const gone = new Set(
    [...log.matchAll(/worker \d+ \(pid (\d+)\) (?:exited|died)/g)].map((m) => Number(m[1])),
  );
  return pids.filter((pid) => !gone.has(pid));
}

/**
 * Waits until `count` workers are ready (in any order) and none of them has
 * exited since; rejects after `ms` (unscaled, `BOUNDS.process` by default) or
 * once tsgi exited, with its output.
 */
export async function waitReady(
  tsgi: Tsgi,
  count: number,
  ms: number = BOUNDS.process,
): Promise<number[]> {
  let pids: number[] = [];
  await until(
    () => {
      pids = readyWorkers(tsgi.stderr());
      if (pids.length >= count) return true;
      if (tsgi.child.exitCode !== null) throw new Error(`tsgi exited:\n${tsgi.output()}`);
      return false;
    },
    { ms, what: `${count} ready workers`, details: tsgi.output },
  );
  return pids;
}

/**
 * Waits until `pattern` (global) matched `count` times in tsgi's stderr;
 * rejects after `ms` (unscaled, `BOUNDS.process` by default) or once tsgi
 * exited, with its output.
 */
export async function waitCount(
  tsgi: Tsgi,
  pattern: RegExp,
  count: number,
  ms: number = BOUNDS.process,
): Promise<void> {
  await until(
    () => {
      if ((tsgi.stderr().match(pattern) ?? []).length >= count) return true;
      if (tsgi.child.exitCode !== null) throw new Error(`tsgi exited:\n${tsgi.output()}`);
      return false;
    },
    { ms, what: `${count} × ${pattern} in tsgi's stderr`, details: tsgi.output },
  );
}
