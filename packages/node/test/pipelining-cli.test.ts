import { describe, expect, it } from 'vitest';
import { guarded } from '../../../tools/test-support/index.ts';
import { get } from './cli/load.js';
import { startTsgi, stopTsgi } from './cli/run-tsgi.js';
import { flood } from './flood.js';
import { metricsUrl, statsUntil } from './metrics/helpers.js';

/** --harakiri in seconds: far above what a /slow?ms=1000 request takes on a loaded machine. */
const HARAKIRI = 3;
/**
 * Sequential /slow?ms=1000 requests after the flood: together they outlast
 * HARAKIRI plus one round of the worker's harakiri check (every HARAKIRI/4 s),
 * so a request of the flood still counted would have been reported before
 * the last of them is answered (the check's timer is due before its sleep's).
 */
const SENTINELS = HARAKIRI + 2;

describe('tsgi serve --harakiri under a pipelined flood', () => {
  it('never counts queued requests toward harakiri: no 504, no recycle, in flight back to 0', async () => {
    // One process: the flood and the requests after it meet the same harakiri tracker.
    const tsgi = startTsgi(
      `serve app.mjs --port 0 --workers 1 --harakiri ${HARAKIRI} --metrics 127.0.0.1:0`.split(' '),
    );
    await guarded(
      async () => {
        const url = await tsgi.listening;
        const metrics = await metricsUrl(tsgi);
        const pid = (JSON.parse((await get(url, '/health')).body) as { pid: number }).pid;
        const client = await flood(Number(new URL(url).port), 20_000, '/big?size=2048');
        // Deep in the flood: responses written until the socket buffers filled, one stuck.
        await statsUntil(
          metrics,
          (s) => s.totals.requests >= 500 && s.totals.in_flight >= 1,
          'the flood backed up',
        );
        client.destroy();
        for (let i = 0; i < SENTINELS; i++) {
          const answer = await get(url, '/slow?ms=1000');
          expect(answer.status).toBe(200);
          expect((JSON.parse(answer.body) as { pid: number }).pid).toBe(pid);
        }
        expect(tsgi.stderr()).not.toMatch(/harakiri|recycl/);
        await statsUntil(metrics, (s) => s.totals.in_flight === 0, 'in flight 0');
        expect((JSON.parse((await get(url, '/health')).body) as { pid: number }).pid).toBe(pid);
      },
      () => stopTsgi(tsgi),
    );
  });
});
