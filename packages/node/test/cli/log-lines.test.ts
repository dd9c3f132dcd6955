/**
 * Every answered request's log lines reach their files across a graceful
 * stop (SIGTERM) and a rolling reload (SIGHUP) under load: the access log
 * (`--access-log json`, stdout redirected to a file) and
 * `@tsgi/middleware-timing`'s line (`log: fs.createWriteStream(...)`), both
 * written in batches by `LineBuffer` in two workers.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { guarded } from '../../../../tools/test-support/index.ts';
import { CLI_OUT_DIR } from './global-setup.js';
import { type LoadResult, load } from './load.js';
import { startTsgi, stopTsgi, type Tsgi, waitReady } from './run-tsgi.js';

const dir = mkdtempSync(join(tmpdir(), 'tsgi-log-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const REQUESTS = 600;

/** The lines of a JSON-lines file, each parsed (a torn line fails the test here). */
function records(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Requests the server answered: every 200, and any other status a client got back. */
function answered(result: LoadResult): number {
  return result.ok + result.failed.filter((outcome) => outcome.status !== 0).length;
}

interface Scenario {
  /** Sent once half the requests are done. */
  signal: NodeJS.Signals;
  /** After the load: what must have happened before the final stop. */
  settle(tsgi: Tsgi): Promise<void>;
}

const scenarios: Record<string, Scenario> = {
  'a graceful stop (SIGTERM)': {
    signal: 'SIGTERM',
    settle: async () => {},
  },
  'a rolling reload (SIGHUP), then SIGTERM': {
    signal: 'SIGHUP',
    settle: async (tsgi) => {
      await tsgi.waitFor(/reload done/);
    },
  },
};

describe.each(Object.entries(scenarios))('log lines under load and %s', (_name, scenario) => {
  it('the access log and timing have one line per answered request', async () => {
    const id = scenario.signal.toLowerCase();
    const accessLog = join(dir, `access-${id}.log`);
    const timingLog = join(dir, `timing-${id}.log`);
    const stdout = openSync(accessLog, 'w');
    let tsgi: Tsgi | undefined;
    await guarded(
      async () => {
        tsgi = startTsgi(
          ['serve', join(CLI_OUT_DIR, 'timing-app.js'), '--port', '0', '--workers', '2'].concat([
            '--access-log',
            'json',
          ]),
          { env: { TSGI_TEST_TIMING_LOG: timingLog }, stdout },
        );
        const running = tsgi;
        const target = await running.listening;
        await waitReady(running, 2);
        let gone = false;
        void running.exited.then(() => {
          gone = true;
        });
        const result = await load(target, {
          count: REQUESTS,
          concurrency: 8,
          startAfter: REQUESTS / 2,
          during: () => running.child.kill(scenario.signal),
          stopWhen: () => gone,
        });
        await scenario.settle(running);
        if (scenario.signal !== 'SIGTERM') running.child.kill('SIGTERM');
        expect(await running.exited).toBe(0);

        const count = answered(result);
        expect(count).toBeGreaterThanOrEqual(REQUESTS / 2);
        const access = records(accessLog).filter((entry) => entry.uri === '/health');
        const timed = records(timingLog).filter((entry) => entry.path === '/health');
        const seen = `answered ${count} (${result.ok} × 200), access log ${access.length}, timing ${timed.length}\n${running.output()}`;
        expect(access.length, seen).toBe(count);
        expect(timed.length, seen).toBe(count);
        expect(access.filter((entry) => entry.status === 200).length, seen).toBe(result.ok);
      },
      () => stopTsgi(tsgi),
      () => closeSync(stdout),
    );
  });
});
