/**
 * A gateway listener (uwsgi or FastCGI) in a child process
 * (`fixtures/gateway-listener.ts`), for the survival tests: a crash there is
 * the child's exit, which the test reports with the child's stderr, instead of
 * the test runner dying. Also a peer that sends bytes and then leaves in one
 * of three ways, as the survival fuzzes need.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOUNDS, bound, until } from '../../../tools/test-support/index.ts';

/** The listener child: its port, whether it still runs, and its stop. */
export interface ChildListener {
  readonly port: number;
  /** Throws, naming the exit and the child's stderr, when the child is gone. */
  assertAlive(context: string): void;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts `createListener(app, protocol, { sockets })` in a child process; the
 * app reads the whole body (`'reads'`) or never reads it (`'ignores'`).
 * `sockets` is the one the suites run with (`node-sockets.test.ts` sets it).
 */
export async function startChildListener(
  protocol: 'uwsgi' | 'fastcgi',
  app: 'reads' | 'ignores',
): Promise<ChildListener> {
  const sockets = (globalThis as { TSGI_TEST_SOCKETS?: 'raw' | 'node' }).TSGI_TEST_SOCKETS;
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/fixtures/gateway-listener.ts', protocol, sockets ?? 'raw', app],
    { cwd: new URL('..', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const describe = () =>
    `exit code ${child.exitCode}, signal ${child.signalCode}; stderr: ${stderr.slice(0, 2000)}`;
  await until(
    () => {
      if (gone()) throw new Error(`the listener child ended before listening: ${describe()}`);
      return stdout.includes('\n');
    },
    { what: 'the listener child to print its port', ms: BOUNDS.process, details: describe },
  );
  const port = (JSON.parse(stdout.slice(0, stdout.indexOf('\n'))) as { port: number }).port;
  return {
    port,
    assertAlive(context) {
      if (gone()) throw new Error(`the listener child died (${context}): ${describe()}`);
    },
    async stop() {
      if (!gone()) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** How a peer leaves after its bytes: FIN, an abrupt close, or once the server acted. */
export type Leave = 'end' | 'destroy' | 'stall';

/**
 * Sends `bytes` to `port` and leaves: `'end'` half-closes and waits for the
 * server to close; `'destroy'` closes at once (a reset when bytes are
 * unread); `'stall'` sends nothing more and waits until the server sends
 * something, ends or closes (its timeouts must see to that), then closes.
 * Resolves `'hung'` when the server did not act within `BOUNDS.short`.
 */
export function sendAndLeave(port: number, bytes: Buffer, leave: Leave): Promise<'ok' | 'hung'> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    const done = (result: 'ok' | 'hung') => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done('hung'), bound(BOUNDS.short));
    socket.on('error', () => done('ok'));
    socket.on('close', () => done('ok'));
    if (leave === 'stall') {
      socket.on('data', () => done('ok'));
      socket.on('end', () => done('ok'));
    } else {
      socket.resume();
    }
    socket.write(bytes, () => {
      if (leave === 'end') socket.end();
      else if (leave === 'destroy') done('ok');
    });
  });
}

/** What {@link describeSurvival} throws at a listener, and how it checks it serves on. */
export interface SurvivalCases {
  /** The protocol's name, as the `describe` titles show it. */
  readonly title: string;
  /** Named byte sequences that once ended a worker. */
  readonly known: Array<[string, Buffer]>;
  /** Random and adversarial sequences, each with how the peer leaves. */
  readonly sequence: fc.Arbitrary<{ bytes: Buffer; leave: Leave }>;
  /** Resolves once a normal request is answered and the child still runs; `after` names what came before. */
  readonly health: (child: ChildListener, after: string) => Promise<void>;
}

/**
 * The survival suite of one gateway protocol, for an app that reads the body
 * and one that never does: each known sequence sent and left three ways, then
 * a bounded fast-check run, each followed by a normal request the same child
 * must answer.
 */
export function describeSurvival(protocol: 'uwsgi' | 'fastcgi', cases: SurvivalCases): void {
  for (const app of ['reads', 'ignores'] as const) {
    const reading = app === 'reads' ? 'reads' : 'never reads';
    describe(`${cases.title} listener in a child process, app that ${reading} the body`, () => {
      let child: ChildListener;
      beforeAll(async () => {
        child = await startChildListener(protocol, app);
      });
      afterAll(() => child?.stop());

      it.each(cases.known)('%s: the worker serves on', async (name, bytes) => {
        for (const leave of ['end', 'destroy', 'stall'] as const) {
          expect(await sendAndLeave(child.port, bytes, leave), `${name}, ${leave}`).toBe('ok');
          await cases.health(child, `${name} (${leave})`);
        }
      });

      it('survives random and adversarial byte sequences (fast-check, bounded)', async () => {
        await fc.assert(
          fc.asyncProperty(cases.sequence, async ({ bytes, leave }) => {
            const after = `${bytes.toString('hex')} (${leave})`;
            expect(await sendAndLeave(child.port, bytes, leave), after).toBe('ok');
            await cases.health(child, after);
          }),
          { numRuns: 80, interruptAfterTimeLimit: bound(BOUNDS.short * 3), endOnFailure: true },
        );
      });
    });
  }
}
