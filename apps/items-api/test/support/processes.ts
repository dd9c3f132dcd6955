import { type ChildProcess, spawn } from 'node:child_process';
// Collecting output and waiting for a line is @tsgi/node's test code; one copy, shared.
import { watchOutput } from '../../../../packages/node/test/cli/watch-output.js';
import { BOUNDS, bound, stopGroup } from '../../../../tools/test-support/index.ts';
import { ITEMS_API, TSGI } from './paths.js';

/** The outcome of a command that ran to its end. */
export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment every spawned CLI gets: the bundled tsgi, no inherited TSGI_ variables or DATABASE_URL. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('TSGI_') && key !== 'DATABASE_URL' && key !== 'PORT' && key !== 'HOST')
      env[key] = value;
  }
  return { ...env, TSGI_BIN: TSGI, NODE_ENV: 'test', ...extra };
}

/** Runs `node <bundled items-api> ...args` to its end, killed after `timeoutMs` (default: a process bound). */
export function runCli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ITEMS_API, ...args], {
      cwd: options.cwd,
      env: cliEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(
      () => child.kill('SIGKILL'),
      options.timeoutMs ?? bound(BOUNDS.process),
    );
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A long-running process (a server) and what it printed so far. */
export interface Running {
  readonly child: ChildProcess;
  output(): string;
  /**
   * Resolves once stdout+stderr match `pattern`; rejects (with the output) after
   * `ms` (default: a process bound) or as soon as it exits without printing it.
   */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /**
   * SIGTERM to the process, then SIGKILL to its group after `ms` (default: a
   * short bound); resolves on exit. Never throws for a process already gone.
   */
  stop(ms?: number): Promise<void>;
}

const started: Running[] = [];

/** Stops every process `startProcess` or `startCommand` started (call in afterAll/afterEach). */
export async function stopAll(): Promise<void> {
  await Promise.all(started.splice(0).map((running) => running.stop()));
}

/**
 * Starts `command ...args` with exactly `env`, in its own process group (so
 * that `stop` reaches whatever it starts in turn), collecting its output.
 */
export function startCommand(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string },
): Running {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const output = watchOutput(child, ['stdout', 'stderr'], command);
  // A spawn that failed (ENOENT) has no 'exit': it reports 'error' instead.
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const running: Running = {
    child,
    output: output.text,
    waitFor: (pattern, ms = bound(BOUNDS.process)) => output.waitFor(pattern, ms),
    async stop(ms = bound(BOUNDS.short)) {
      // Workers of a master that died hard may remain in the group: it goes too.
      await stopGroup(child, exited, { graceMs: ms });
    },
  };
  started.push(running);
  return running;
}

/** Starts `node <script> ...args` with {@link cliEnv}, in its own process group. */
export const startProcess = (
  script: string,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Running =>
  startCommand(process.execPath, [script, ...args], {
    env: cliEnv(options.env),
    cwd: options.cwd,
  });

/** Starts the bundled items-api CLI. */
export const startCli = (
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
) => startProcess(ITEMS_API, args, options);

/** Starts the bundled tsgi CLI. */
export const startTsgi = (
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
) => startProcess(TSGI, args, options);
