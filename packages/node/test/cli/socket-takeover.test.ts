import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BOUNDS, bound, guarded, until } from '../../../../tools/test-support/index.ts';
import { rawConnection } from '../raw-connection.js';
import { get } from './load.js';
import { startTsgi, stopTsgi, type Tsgi, waitReady } from './run-tsgi.js';

const dir = mkdtempSync(join(tmpdir(), 'tsgi-takeover-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Whether a connection to the Unix socket at `path` is accepted now. */
function accepts(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect({ path });
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/** The pid that answers `/` on the socket (counting.mjs answers its pid). */
async function answeringPid(path: string): Promise<number> {
  const outcome = await get(`unix:${path}`, '/');
  if (outcome.status !== 200) throw new Error(`no answer on ${path}: ${JSON.stringify(outcome)}`);
  return (JSON.parse(outcome.body) as { pid: number }).pid;
}

// Two `tsgi serve` on one socket path, as in a blue-green or manual restart: the
// old one drains after SIGTERM, the new one takes the path over, and the old one
// must not remove the new one's socket file when it exits.
describe.each([1, 2])('two tsgi on one socket path (--workers %i)', (workers) => {
  it('a second one refuses the path while the first accepts on it', async () => {
    const path = join(dir, `busy-${workers}.sock`);
    const args = ['serve', 'counting.mjs', '--socket', path, '--workers', String(workers)];
    const first = startTsgi(args);
    let second: Tsgi | undefined;
    await guarded(
      async () => {
        await first.listening;
        second = startTsgi(args);
        expect(await second.exited).toBe(1);
        expect(second.stderr()).toMatch(/is in use by a running server/);
        expect(await answeringPid(path)).toBeGreaterThan(0);
      },
      () => stopTsgi(second),
      () => stopTsgi(first),
    );
  });

  it('the new one takes over while the old one drains; the path still answers after', async () => {
    const path = join(dir, `app-${workers}.sock`);
    const release = join(dir, `release-${workers}`);
    const env = { TSGI_TEST_RELEASE: release, TSGI_TEST_HOLD_MS: String(bound(BOUNDS.process)) };
    const args = [
      'serve',
      'counting.mjs',
      '--socket',
      path,
      '--workers',
      String(workers),
      '--graceful-timeout',
      '60',
    ];
    const old = startTsgi(args, { env });
    let fresh: Tsgi | undefined;
    await guarded(
      async () => {
        await old.listening;
        if (workers > 1) await waitReady(old, workers);
        const held = rawConnection({ path });
        held.socket.write('GET /held HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n');
        await held.until((text) => text.includes('start '), 'the first line of /held');
        old.child.kill('SIGTERM');
        // Draining: it stopped accepting, the request is still in flight.
        await until(async () => !(await accepts(path)), {
          ms: BOUNDS.process,
          what: 'the old tsgi to stop accepting',
          details: old.output,
        });
        fresh = startTsgi(args, { env });
        await fresh.listening;
        const freshFile = statSync(path).ino;
        expect(old.child.exitCode).toBeNull();
        writeFileSync(release, '');
        await held.closed;
        expect(held.data()).toMatch(/end\n\r\n0\r\n\r\n$/);
        expect(await old.exited).toBe(0);
        // The old one left the new one's socket file in place, and the new one answers on it.
        expect(statSync(path).ino).toBe(freshFile);
        expect(await answeringPid(path)).not.toBe(old.child.pid);
        fresh.child.kill('SIGTERM');
        expect(await fresh.exited).toBe(0);
        expect(() => statSync(path)).toThrow(/ENOENT/);
      },
      () => stopTsgi(fresh),
      () => stopTsgi(old),
    );
  });
});
