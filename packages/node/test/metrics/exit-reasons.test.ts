import { describe, expect, it } from 'vitest';
import { BOUNDS, bound } from '../../../../tools/test-support/index.ts';
import type { ExitReason, Stats } from '../../src/metrics/index.js';
import { get } from '../cli/load.js';
import { waitReady } from '../cli/run-tsgi.js';
import { exposition, promtoolCheck, sampleValue, startWithMetrics, statsUntil } from './helpers.js';

const none = { reload: 0, 'max-requests': 0, harakiri: 0, ttou: 0, shutdown: 0, crash: 0 };

/**
 * --harakiri in seconds: far above what a /health request takes on a loaded
 * machine, so only the requests meant to be cut are. The master kills a worker
 * whose heartbeats stop for this plus a second.
 */
const HARAKIRI = 3;

describe('tsgi_worker_exits_total counts each exit under its reason', () => {
  it('max-requests, kill -9, SIGHUP, harakiri (the worker’s 504 and the master’s kill), SIGTTOU', async () => {
    const { tsgi, url, metrics } = await startWithMetrics(
      2,
      ...`--max-requests 5 --max-requests-jitter 0 --harakiri ${HARAKIRI}`.split(' '),
    );
    const expected: Record<ExitReason, number> = { ...none };
    // Every recycle the master logged for max-requests is one exit of that reason.
    const settled = (s: Stats) => {
      expected['max-requests'] = tsgi.stderr().match(/asks to be recycled: served/g)?.length ?? 0;
      return (
        JSON.stringify(s.lifecycle?.exits) === JSON.stringify(expected) &&
        s.workers.every((w) => w.state === 'ready')
      );
    };
    // Exits as expected and every worker ready; the time-out shows the last /stats.
    const exitsAre = (step: string) =>
      statsUntil(metrics, settled, `exits ${JSON.stringify(expected)} after ${step}`);

    // max-requests: 10 requests, one at a time; every worker that reaches 5 is recycled.
    for (let i = 0; i < 10; i++) expect((await get(url, '/health')).status).toBe(200);
    await tsgi.waitFor(/asks to be recycled: served 5 requests/);
    await waitReady(tsgi, 2);
    // A worker stopping gracefully sends its last counts: none of the 10 is lost (the
    // living workers' counts arrive within their next report, a second later at most).
    let reading = await statsUntil(
      metrics,
      (s) => settled(s) && s.totals.requests === 10,
      'the 10 requests and the max-requests exits',
    );
    expect(expected['max-requests']).toBeGreaterThanOrEqual(1);
    expect(reading.lifecycle?.starts).toBe(2 + expected['max-requests']);

    // kill -9 from outside: a crash. The victim is one the master counts as ready.
    const victim = reading.workers[0]!.pid;
    process.kill(victim, 'SIGKILL');
    await tsgi.waitFor(new RegExp(`\\(pid ${victim}\\) died`));
    expected.crash = 1;
    await waitReady(tsgi, 2);
    await exitsAre('kill -9');

    // SIGHUP: a rolling reload replaces both. The new workers have served nothing, so
    // neither request below can be a worker's 5th (max-requests would recycle it first).
    tsgi.child.kill('SIGHUP');
    await tsgi.waitFor(/reload done/);
    expected.reload = 2;
    await exitsAre('SIGHUP');

    // A request far past --harakiri: answered 504, its worker recycled.
    const slow = await get(url, `/slow?ms=${3 * HARAKIRI * 1000}`, BOUNDS.process);
    expect(slow.status).toBe(504);
    expected.harakiri = 1;
    await exitsAre('the 504');

    // An event loop blocked far past --harakiri (it would run for a whole process bound):
    // the master kills the worker, and the connection dies with it.
    const blocked = await get(url, `/block?ms=${bound(BOUNDS.process)}`, BOUNDS.process);
    expect(blocked.status).toBe(0);
    await tsgi.waitFor(/harakiri: worker \d+ \(pid \d+\) unresponsive/);
    expected.harakiri = 2;
    await waitReady(tsgi, 2);
    await exitsAre('the blocked loop');

    // SIGTTOU: one worker less.
    tsgi.child.kill('SIGTTOU');
    expected.ttou = 1;
    reading = await exitsAre('SIGTTOU');

    const text = await exposition(metrics);
    expect(promtoolCheck(text).status).toBe(0);
    for (const [reason, count] of Object.entries(expected)) {
      expect([reason, sampleValue(text, `tsgi_worker_exits_total{reason="${reason}"}`)]).toEqual([
        reason,
        count,
      ]);
    }
    // Mostly recycled requests: every one of them is still counted (the blocked one was cut).
    expect(reading.totals.requests).toBeGreaterThanOrEqual(10);
    tsgi.child.kill('SIGTERM');
    expect(await tsgi.exited).toBe(0);
  });
});
