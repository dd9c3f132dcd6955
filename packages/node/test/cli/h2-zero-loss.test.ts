/**
 * HTTP/2 through the master: `tsgi serve --certfile --keyfile --workers N`
 * (h2 by ALPN) under h2load's multiplexed load while its workers drain, by a
 * rolling reload, by recycling and by SIGTTOU. Every stream a worker took is
 * answered whole with a 2xx (h2load's successes are exactly the requests the
 * app handled), no drain cuts anything, and other workers answer afterwards.
 * What h2load counts as failed is what a GOAWAY refused, streams a closed
 * session ended under, and what h2load then never sent (see h2load-loop.ts),
 * never a stream the app took.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOUNDS, guarded, until } from '../../../../tools/test-support/index.ts';
import { h2load } from '../http2/h2-clients.ts';
import { makePki, type TestPki } from '../tls/certs.js';
import { expectClean, expectOnlyRefusals, h2loadLoop, tally } from './h2load-loop.js';
import { startTsgi, stopTsgi, type Tsgi, waitCount, waitReady } from './run-tsgi.js';

const dir = mkdtempSync(join(tmpdir(), 'tsgi-h2-zero-loss-'));
let pki: TestPki;
beforeAll(async () => {
  pki = await makePki();
  await pki.issue('server', 'localhost');
});
afterAll(() => {
  pki?.remove();
  rmSync(dir, { recursive: true, force: true });
});

/** h2load's connections and streams per connection in every run. */
const CONNECTIONS = 8;
const STREAMS = 10;
const RUN = [`-c${CONNECTIONS}`, `-m${STREAMS}`];
const DRAINED = /worker\[\d+\]: \S+: drained \d+ connections in [\d.]+ s: .*/g;

/** The pids of the requests the app handled, one per line, in the order it answered them. */
const answered = (ledger: string) => readFileSync(ledger, 'utf8').split('\n').filter(Boolean);

/** Waits until the app has answered `count` more requests than `from`. */
async function progress(ledger: string, from: number, count: number): Promise<void> {
  let seen = from;
  await until(
    () => {
      seen = answered(ledger).length;
      return seen >= from + count;
    },
    { ms: BOUNDS.process, every: 50, what: `${count} more answers`, details: () => `${seen}` },
  );
}

/** The pid of the worker with the highest id that became ready: the one SIGTTOU stops. */
function newestPid(log: string): string {
  const ready = [...log.matchAll(/worker (\d+) \(pid (\d+)\) ready/g)];
  ready.sort((a, b) => Number(b[1]) - Number(a[1]));
  return ready[0]![2]!;
}

interface Scenario {
  flags: string[];
  /** Drains the act causes, at least. */
  drains: number;
  /** Recycling: workers go on draining after the act, so no run is sure to meet no GOAWAY. */
  recycling?: boolean;
  /** What the workers go through under load; resolves once it is over. */
  act(tsgi: Tsgi, ledger: string): Promise<void>;
  /**
   * Who answered: `pids` in the order the app answered, `drained` the workers
   * that drained, `first` the workers ready at the start.
   */
  served(pids: string[], drained: Set<string>, first: string[]): void;
}

const count = (pids: string[], pid: string) => pids.filter((p) => p === pid).length;

const scenarios: Record<string, Scenario> = {
  'two rolling reloads (SIGHUP)': {
    flags: ['--workers', '2'],
    drains: 4,
    async act(tsgi, ledger) {
      tsgi.child.kill('SIGHUP');
      await waitCount(tsgi, /reload done/g, 1);
      // The new workers answer under the same load before the second reload.
      await progress(ledger, answered(ledger).length, 1000);
      tsgi.child.kill('SIGHUP');
      await waitCount(tsgi, /reload done/g, 2);
    },
    served(pids, drained, first) {
      // The first workers and the ones the first reload started all drained.
      for (const pid of first) expect(drained.has(pid)).toBe(true);
      expect(drained.size).toBe(4);
      expect(pids.some((pid) => drained.has(pid) && !first.includes(pid))).toBe(true);
    },
  },
  '--max-requests recycling': {
    flags: ['--workers', '2', '--max-requests', '1000', '--max-requests-jitter', '100'],
    drains: 4,
    recycling: true,
    act: (tsgi) => waitCount(tsgi, /\(recycled\): it drains/g, 4),
    served(pids, drained) {
      // Each recycled worker answered its --max-requests, all of them, before it stopped.
      const recycled = [...drained].filter((pid) => pids.includes(pid));
      expect(recycled.length).toBeGreaterThanOrEqual(4);
      for (const pid of recycled) expect(count(pids, pid)).toBeGreaterThanOrEqual(1000);
    },
  },
  SIGTTOU: {
    flags: ['--workers', '3'],
    drains: 1,
    async act(tsgi, ledger) {
      // The worker SIGTTOU stops is answering now: its connections are under way.
      const pid = newestPid(tsgi.stderr());
      await until(() => answered(ledger).slice(-50).includes(pid), {
        ms: BOUNDS.process,
        every: 20,
        what: `worker ${pid} among the last 50 answers`,
      });
      tsgi.child.kill('SIGTTOU');
      await waitCount(tsgi, /\(SIGTTOU\): it drains/g, 1);
    },
    served(pids, drained, first) {
      // The newest worker drained after answering; the two others go on.
      expect(drained.size).toBe(1);
      const [stopped] = drained;
      expect(first).toContain(stopped);
      expect(count(pids, stopped!)).toBeGreaterThan(0);
    },
  },
};

let runs = 0;

/**
 * Node 20's node:http2 can corrupt its heap (`corrupted size vs. prev_size`,
 * the worker aborts) when sessions close under multiplexed load; it was seen
 * about once in a hundred drains, on every version of tsgi's HTTP/2 side and
 * never on Node 22, 24 or 26. Node 20 is past its end of life.
 */
const NODE_20 = Number(process.versions.node.split('.')[0]) === 20;

describe.skipIf(NODE_20)('HTTP/2 under h2load through the master', () => {
  for (const [name, scenario] of Object.entries(scenarios)) {
    it(`${name}: every stream the app took is answered, no drain cuts one`, async () => {
      runs++;
      const ledger = join(dir, `ledger-${runs}`);
      writeFileSync(ledger, '');
      const tsgi = startTsgi(
        [
          'serve',
          'slow-ledger.mjs',
          '--port',
          '0',
          '--certfile',
          pki.path('server.pem'),
          '--keyfile',
          pki.path('server.key'),
          ...scenario.flags,
        ],
        { env: { TSGI_TEST_LEDGER: ledger } },
      );
      await guarded(
        async () => {
          const url = `${await tsgi.listening}/`;
          const first = await waitReady(tsgi, Number(scenario.flags[1]));
          // Before any drain: fewer requests than a worker's --max-requests.
          const warm = await h2load(url, [...RUN, '-n800']);
          expectClean(warm);

          let over = false;
          const loop = h2loadLoop(url, {
            args: [...RUN, '-n3000'],
            lanes: 2,
            maxRuns: 400,
            stopWhen: () => over,
          });
          loop.catch(() => {});
          try {
            await progress(ledger, warm.succeeded, 1000);
            await scenario.act(tsgi, ledger);
            await waitCount(tsgi, DRAINED, scenario.drains);
          } finally {
            over = true;
          }
          const reports = await loop;
          for (const report of reports) expectOnlyRefusals(report, CONNECTIONS, STREAMS);
          const all = [warm, ...reports];
          /** The app's answers before the run that follows the drains. */
          const mark = answered(ledger).length;
          if (scenario.recycling !== true) {
            // The drains are over: new connections meet no GOAWAY.
            const after = await h2load(url, [...RUN, '-n3000']);
            expectClean(after);
            all.push(after);
          }
          const sum = tally(all);
          const pids = answered(ledger);
          // Every request the app handled reached h2load as a 2xx: no stream it took was lost.
          const perWorker = () => {
            const answers = new Map<string, number>();
            for (const pid of pids) answers.set(pid, (answers.get(pid) ?? 0) + 1);
            return JSON.stringify(Object.fromEntries(answers));
          };
          expect(
            sum.succeeded,
            `h2load: ${JSON.stringify(sum)}; the app, by pid: ${perWorker()}\n${tsgi.output()}`,
          ).toBe(pids.length);

          const drains = tsgi.stderr().match(DRAINED) ?? [];
          expect(drains.length).toBeGreaterThanOrEqual(scenario.drains);
          for (const line of drains) expect(line).toMatch(/ 0 cut at the graceful timeout$/);
          // A drain happened with h2load's connections on the worker.
          expect(drains.some((line) => !/ drained 0 connections /.test(line))).toBe(true);
          // The workers that answered changed: drained ones during the load, others after.
          const drained = new Set(drains.map((line) => /worker\[(\d+)\]/.exec(line)![1]!));
          expect(pids.some((pid) => drained.has(pid))).toBe(true);
          if (scenario.recycling !== true) {
            expect(pids.some((pid) => !drained.has(pid))).toBe(true);
            expect(pids.slice(mark).filter((pid) => drained.has(pid))).toEqual([]);
          }
          scenario.served(pids, drained, first.map(String));
        },
        () => stopTsgi(tsgi),
      );
    });
  }
});
