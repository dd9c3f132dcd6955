// A drain of tsgi's HTTP/2 under h2load's load: GOAWAY on every session,
// every stream the app took is answered whole, none is reset, nothing is cut.
import { describe, expect, it } from 'vitest';
import { BOUNDS, bound, guarded, until } from '../../../../tools/test-support/index.ts';
import { h2load } from './h2-clients.ts';
import { started } from './tsgi-app.ts';
import { startTsgiH2 } from './tsgi-server.ts';

describe('HTTP/2 drain', () => {
  for (const stop of ['drain', 'close'] as const) {
    it(`${stop} under h2load -c4 -m10 loses no stream`, async () => {
      const target = await startTsgiH2();
      await guarded(
        async () => {
          const before = started.count;
          const load = h2load(`${target.url}/`, ['-c4', '-m10', '-n200000']);
          load.catch(() => {});
          await until(() => started.count - before >= 500, {
            ms: BOUNDS.process,
            what: 'h2load under way (500 requests started)',
            details: () => `${started.count - before} started`,
          });
          const timeout = bound(BOUNDS.process);
          if (stop === 'drain') {
            const report = await target.server.listener.drain(timeout);
            expect(report.cut, JSON.stringify(report)).toBe(0);
          } else {
            await target.server.close({ timeout });
          }
          const report = await load;
          const taken = started.count - before;
          // Every stream the app took was answered whole (2xx), none reset.
          expect(report.succeeded, report.output).toBe(taken);
          expect(report.ok2xx, report.output).toBe(taken);
          expect(report.timeout, report.output).toBe(0);
          // Streams h2load opened past the GOAWAY's last stream id were never
          // processed (RFC 9113 §6.8; a client may retry them): at most its
          // -m10 in flight on each of its 4 connections. h2load counts them,
          // and the requests it could no longer open, as failed.
          expect(report.started - taken, report.output).toBeLessThanOrEqual(4 * 10);
        },
        () => target.close(),
      );
    });
  }
});
