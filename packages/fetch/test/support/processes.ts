/**
 * Servers in child processes (Bun, Deno, Node), each in its own process
 * group, found by the port they print, and stopped whatever happened.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BOUNDS, bound, stopGroup, until } from '../../../../tools/test-support/index.ts';

/** packages/fetch: the children's working directory, where `@tsgi/*` resolve through node_modules. */
export const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));

/** A server in a child process. */
export interface ChildServer {
  /** The port it printed. */
  readonly port: number;
  /** What it printed so far, stdout and stderr. */
  output(): string;
  /** SIGTERM to its group, SIGKILL after a short bound; never throws for a process already gone. */
  stop(): Promise<void>;
}

/**
 * The environment of every child: this one's, without a port or host of its
 * own, with `PORT=0`, and without the runtimes' update checks and telemetry.
 */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.HOST;
  delete env.NODE_OPTIONS;
  return {
    ...env,
    PORT: '0',
    NO_COLOR: '1',
    DO_NOT_TRACK: '1',
    DENO_NO_UPDATE_CHECK: '1',
    DENO_NO_PROMPT: '1',
    ...extra,
  };
}

/** Where a child says it listens: `{"port":N}` (the fixtures) or `http://127.0.0.1:N` (the examples). */
const LISTENING = /\{"port":(\d+)\}|http:\/\/127\.0\.0\.1:(\d+)/;

/**
 * Starts `command ...args` in packages/fetch and waits until it prints its
 * port (see {@link LISTENING}); fails early, with its output, if it exits
 * first. A child that never gets there is stopped before the error is thrown.
 */
export async function startServer(
  command: string,
  args: readonly string[],
  options: { env?: Record<string, string> } = {},
): Promise<ChildServer> {
  const child = spawn(command, args, {
    cwd: PACKAGE_DIR,
    env: childEnv(options.env ?? {}),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  // A spawn that failed (ENOENT) reports 'error' and no 'exit'.
  let failure: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      failure = error;
      resolve();
    });
  });
  const label = [command, ...args].join(' ');
  const stop = () => stopGroup(child, exited, { group: true, graceMs: bound(BOUNDS.short) });
  let port = 0;
  try {
    await until(
      () => {
        const match = LISTENING.exec(text);
        if (match !== null) port = Number(match[1] ?? match[2]);
        else if (failure !== undefined || child.exitCode !== null || child.signalCode !== null)
          throw new Error(
            `${label} ended (${failure?.message ?? child.exitCode ?? child.signalCode}) before it listened:\n${text}`,
          );
        return port !== 0;
      },
      { ms: BOUNDS.process, what: `${label} to print its port`, details: () => text },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, output: () => text, stop };
}

/** The newest modification time of the files under `dir`, in ms. */
function newest(dir: string): number {
  let time = 0;
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const stat = statSync(join(dir, name));
    if (stat.isFile()) time = Math.max(time, stat.mtimeMs);
  }
  return time;
}

/**
 * Throws unless each package's dist/index.js is newer than everything in its
 * src/: Bun, Deno and Node children import the built packages (through
 * node_modules), and would otherwise test old code. `pnpm test` builds them
 * first (turbo); `pnpm --filter @tsgi/fetch test` alone does not.
 */
export function assertBuilt(packages: readonly string[]): void {
  const stale: string[] = [];
  for (const name of packages) {
    const dir = fileURLToPath(new URL(`../../../${name}/`, import.meta.url));
    let built = 0;
    try {
      built = statSync(`${dir}dist/index.js`).mtimeMs;
    } catch {
      // no build at all
    }
    if (built < newest(`${dir}src`)) stale.push(`@tsgi/${name}`);
  }
  if (stale.length > 0) {
    throw new Error(
      `${stale.join(', ')}: dist/ is missing or older than src/, and the runtimes load dist/; ` +
        `build first (pnpm test does; or pnpm --filter @tsgi/fetch... build)`,
    );
  }
}
