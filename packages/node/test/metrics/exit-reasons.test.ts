import { describe, expect, it } from 'vitest';
import type { ExitReason, Stats } from '../../src/index.js';
import { get } from '../cli/load.js';
import { readyWorkers, waitReady } from '../cli/run-tsgi.js';
import { exposition, promtoolCheck, sampleValue, startWithMetrics, statsUntil } from './helpers.js';

const none = { reload: 0, 'max-requests': 0, harakiri: 0, ttou: 0, shutdown: 0, crash: 0 };

describe('tsgi_worker_exits_total counts each exit under its reason', () => {
  it('max-requests, kill -9, harakiri (the worker’s 504 and the master’s kill), SIGTTOU, SIGHUP', async () => {
    const { tsgi, url, metrics } = await startWithMetrics(
      2,
      ...'--max-requests 5 --max-requests-jitter 0 --harakiri 1'.split(' '),
    );
    const expected: Record<ExitReason, number> = { ...none };
    // Every recycle the master logged for max-requests is one exit of that reason (the
    // later steps' requests may take a worker to its 5th too).
    const settled = (s: Stats) => {
      expected['max-requests'] = tsgi.stderr().match(/asks to be recycled: served/g)?.length ?? 0;
      return (
        JSON.stringify(s.lifecycle?.exits) === JSON.stringify(expected) &&
        s.workers.every((w) => w.state === 'ready')
      );
    };
    const exitsAre = () => statsUntil(metrics, settled, 20_000);

    // max-requests: 10 requests, one at a time; every worker that reaches 5 is recycled.
    for (let i = 0; i < 10; i++) expect((await get(url, '/health')).status).toBe(200);
    await tsgi.waitFor(/asks to be recycled: served 5 requests/);
    await waitReady(tsgi, 2);
    // A worker stopping gracefully sends its last counts: none of the 10 is lost (the
    // living workers' counts arrive within their next report, a second later at most).
    let reading = await statsUntil(metrics, (s) => settled(s) && s.totals.requests === 10, 20_000);
    expect(expected['max-requests']).toBeGreaterThanOrEqual(1);
    expect(reading.lifecycle?.starts).toBe(2 + expected['max-requests']);

    // kill -9 from outside: a crash.
    const victim = readyWorkers(tsgi.stderr())[0]!;
    process.kill(victim, 'SIGKILL');
    await tsgi.waitFor(new RegExp(`\\(pid ${victim}\\) died`));
    expected.crash = 1;
    await waitReady(tsgi, 2);
    await exitsAre();

    // A request past --harakiri: answered 504, its worker recycled.
    expect((await get(url, '/slow?ms=3000')).status).toBe(504);
    expected.harakiri = 1;
    reading = await exitsAre();

    // An event loop blocked past --harakiri: the master kills the worker.
    await get(url, '/block?ms=4000');
    await tsgi.waitFor(/harakiri: worker \d+ \(pid \d+\) unresponsive/);
    expected.harakiri = 2;
    await waitReady(tsgi, 2);
    await exitsAre();

    // SIGTTOU: one worker less; SIGHUP: a rolling reload replaces both.
    tsgi.child.kill('SIGTTOU');
    expected.ttou = 1;
    await exitsAre();
    tsgi.child.kill('SIGHUP');
    await tsgi.waitFor(/reload done/);
    expected.reload = 1;
    reading = await exitsAre();

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
  }, 120_000);
});
