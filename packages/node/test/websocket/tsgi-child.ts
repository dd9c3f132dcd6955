/**
 * The outside-client scenario on `@tsgi/node` in a child process
 * (`tsgi-child-main.ts`), for the tests that send broken frames: a crash
 * there is the child's exit, which the test names with the child's stderr,
 * instead of an error thrown somewhere inside the test runner.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BOUNDS, bound, stopGroup, until } from '../../../../tools/test-support/index.ts';
import type { OutsideServer } from './outside-servers.js';

/** A scenario server in a child process. */
export interface ChildServer extends OutsideServer {
  /** Throws, naming the exit and the child's stderr, when the child is gone. */
  assertAlive(context: string): void;
  /** The child has not exited. */
  running(): boolean;
}

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = fileURLToPath(new URL('./tsgi-child-main.ts', import.meta.url));

/** Starts the child with the message limit `maxMessage` and waits until it prints its port. */
export async function startTsgiChild(maxMessage: number): Promise<ChildServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', MAIN, String(maxMessage)],
    { cwd: PACKAGE_DIR, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const describe = () =>
    `exit code ${child.exitCode}, signal ${child.signalCode}; stderr: ${stderr.slice(0, 4000)}`;
  await until(
    () => {
      if (gone()) throw new Error(`the @tsgi/node child ended before listening: ${describe()}`);
      return stdout.includes('\n');
    },
    { what: 'the @tsgi/node child to print its port', ms: BOUNDS.process, details: describe },
  );
  const port = (JSON.parse(stdout.slice(0, stdout.indexOf('\n'))) as { port: number }).port;
  return {
    name: 'tsgi',
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    port,
    problems: () => stderr,
    violations: () =>
      stderr
        .split('\n')
        .filter((line) => line.startsWith('violation: '))
        .map((line) => line.slice('violation: '.length)),
    running: () => !gone(),
    assertAlive(context) {
      if (gone()) throw new Error(`the @tsgi/node child died (${context}): ${describe()}`);
    },
    close: () => stopGroup(child, exited, { graceMs: bound(BOUNDS.short) }),
  };
}
