import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BOUNDS, bound, guarded, until } from '../../../../tools/test-support/index.ts';
import { TOP_COLUMNS } from '../../src/cli/top-view.js';
import { load } from '../cli/load.js';
import { CLI, FIXTURES } from '../cli/run-tsgi.js';
import { startWithMetrics, stats, statsUntil } from './helpers.js';

const run = promisify(execFile);

/** The worker rows of a `tsgi top` frame, as objects keyed by column. */
function workerRows(frame: string): Record<string, string>[] {
  const lines = frame.split('\n');
  const header = lines.findIndex((l) => l.startsWith('WORKER'));
  expect(header).toBeGreaterThan(0);
  return lines
    .slice(header + 1)
    .filter((l) => /^\d/.test(l))
    .map((l) => {
      const cells = l.trim().split(/\s{2,}/);
      return Object.fromEntries(TOP_COLUMNS.map((c, i) => [c, cells[i] ?? '']));
    });
}

async function served() {
  const { tsgi, url, metrics } = await startWithMetrics(2);
  expect((await load(url, { count: 30, concurrency: 3 })).ok).toBe(30);
  await statsUntil(metrics, (s) => s.totals.requests === 30, 'the 30 requests counted');
  return { tsgi, metrics, address: new URL(metrics).host };
}

describe('tsgi top', () => {
  it('--once prints what /stats says: every worker, its requests, state and pid', async () => {
    const { metrics, address } = await served();
    const { stdout } = await run(process.execPath, [CLI, 'top', address, '--once'], {
      timeout: bound(BOUNDS.process),
    });
    const reading = await stats(metrics);
    expect(stdout).toMatch(/^tsgi master pid \d+/);
    expect(stdout).toContain(`pid ${reading.pid}`);
    expect(stdout).toContain(`requests ${reading.totals.requests} `);
    expect(stdout).toMatch(
      /exits: reload 0, max-requests 0, harakiri 0, ttou 0, shutdown 0, crash 0/,
    );
    const rows = workerRows(stdout);
    expect(rows.map((r) => [r.WORKER, r.PID, r.STATE, r.REQUESTS, r.INFLIGHT]).sort()).toEqual(
      reading.workers
        .map((w) => [String(w.id), String(w.pid), w.state, String(w.requests), '0'])
        .sort(),
    );
    // No traffic between its two readings: the rate is 0 and there is no p99 to show.
    expect(rows.every((r) => r.RPS === '0.0' && r['P99 MS'] === '-')).toBe(true);
  });

  it('says so, and exits 1, when nothing answers at the address', async () => {
    // A port the kernel picked and nothing listens on any more.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const failed = await run(process.execPath, [CLI, 'top', `127.0.0.1:${port}`, '--once'], {
      timeout: bound(BOUNDS.process),
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toMatch(
      new RegExp(
        `^tsgi top: cannot read 127\\.0\\.0\\.1:${port}/stats: .*ECONNREFUSED[\\s\\S]*--metrics 127\\.0\\.0\\.1:${port}`,
      ),
    );
  });

  it('redraws in a real terminal (tmux) until q', async () => {
    const { address } = await served();
    const session = 'tsgi-top';
    // Its own tmux server on a socket in its own temp dir (-S), so nothing else running
    // tmux on the machine, nor another run of this test, is touched.
    const dir = mkdtempSync(join(tmpdir(), 'tsgi-top-'));
    const tmux = (...args: string[]) =>
      execFileSync('tmux', ['-S', join(dir, 'tmux.sock'), ...args], {
        encoding: 'utf8',
        timeout: bound(BOUNDS.short),
        stdio: 'pipe',
      });
    const alive = () => {
      try {
        return tmux('list-sessions').includes(session);
      } catch {
        return false; // the server ended with its last session
      }
    };
    await guarded(
      async () => {
        tmux(
          'new-session',
          '-d',
          '-s',
          session,
          '-x',
          '120',
          '-y',
          '30',
          '-c',
          FIXTURES,
          process.execPath,
          CLI,
          'top',
          address,
        );
        const screen = async (pattern: RegExp) => {
          let text = '';
          await until(
            () => {
              text = tmux('capture-pane', '-p', '-t', session);
              return pattern.test(text);
            },
            {
              ms: BOUNDS.process,
              what: `the tmux screen to match ${pattern}`,
              every: 100,
              details: () => text,
            },
          );
          return text;
        };
        // Second frame onwards: rates over the last second.
        const text = await screen(/RPS[\s\S]*\(q to quit\)/);
        expect(text).toMatch(/requests 30 {2}rps/);
        expect(workerRows(text)).toHaveLength(2);
        await screen(/requests 30 {2}rps 0\.0/);
        tmux('send-keys', '-t', session, 'q');
        await until(() => !alive(), { what: 'tsgi top to quit on q', every: 100 });
      },
      () => {
        if (alive()) tmux('kill-server');
      },
      () => rmSync(dir, { recursive: true, force: true }),
    );
  });
});
