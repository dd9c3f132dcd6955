/**
 * The fixture app (test/fixtures/app.ts) served three ways at once: by
 * `@tsgi/node` in the test process, and through `toFetchHandler` on real Bun
 * and real Deno, each on a port the kernel picks on 127.0.0.1.
 */
import { serve } from '@tsgi/node';
import { inject } from 'vitest';
import { app } from '../fixtures/app.ts';
import { assertBuilt, startServer } from './processes.ts';

/** Which server answered. */
export type ServerName = 'node' | 'bun' | 'deno';

/** One of the three servers. */
export interface Served {
  readonly name: ServerName;
  readonly port: number;
  /** What it printed (nothing for the in-process Node server). */
  output(): string;
  stop(): Promise<void>;
}

/** The packages whose dist/ the Bun and Deno children import. */
const LOADED = ['fetch', 'spec', 'router'];

/** `@tsgi/node` serving the fixture in this process. */
async function onNode(): Promise<Served> {
  const server = await serve(app, { host: '127.0.0.1', port: 0 });
  return {
    name: 'node',
    port: server.address.port!,
    output: () => '',
    stop: () => server.close({ timeout: 1000 }),
  };
}

/** serve-bun.ts or serve-deno.ts in a child process. */
async function onRuntime(name: 'bun' | 'deno'): Promise<Served> {
  const child =
    name === 'bun'
      ? await startServer(inject('bunBin'), ['test/fixtures/serve-bun.ts'])
      : await startServer(inject('denoBin'), [
          'run',
          '--allow-net=127.0.0.1',
          'test/fixtures/serve-deno.ts',
        ]);
  return { name, port: child.port, output: child.output, stop: child.stop };
}

/**
 * Starts the three servers (Node first in the list: the reference the others
 * are compared with). If one fails to start, those that did are stopped and
 * the first failure is thrown.
 */
export async function serveEverywhere(): Promise<Served[]> {
  assertBuilt(LOADED);
  const started = await Promise.allSettled([onNode(), onRuntime('bun'), onRuntime('deno')]);
  const failed = started.find((result) => result.status === 'rejected');
  const servers = started.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  if (failed !== undefined) {
    await Promise.allSettled(servers.map((server) => server.stop()));
    throw failed.reason;
  }
  return servers;
}

/** Stops every server; a failure to stop one still stops the others, and is thrown after. */
export async function stopAll(servers: readonly Served[]): Promise<void> {
  const stopped = await Promise.allSettled(servers.map((server) => server.stop()));
  const failed = stopped.find((result) => result.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}
