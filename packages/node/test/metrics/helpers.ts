import { spawnSync } from 'node:child_process';
import { BOUNDS, bound, until } from '../../../../tools/test-support/index.ts';
import type { Stats } from '../../src/metrics/index.js';
import { get } from '../cli/load.js';
import { startTsgi, type Tsgi, waitReady } from '../cli/run-tsgi.js';

/** The metrics URL a `tsgi --metrics` process logged. */
export async function metricsUrl(tsgi: Tsgi): Promise<string> {
  const match = await tsgi.waitFor(/metrics on (\S+)\/metrics and \/stats/);
  return match[1]!;
}

/**
 * `tsgi serve app.mjs` on a free port with `--workers workers`, `--metrics`
 * on a free port of 127.0.0.1 and `extra` flags; resolves once its workers are ready.
 */
export async function startWithMetrics(
  workers: number,
  ...extra: string[]
): Promise<{ tsgi: Tsgi; url: string; metrics: string }> {
  const args = `serve app.mjs --port 0 --workers ${workers} --metrics 127.0.0.1:0`.split(' ');
  const tsgi = startTsgi([...args, ...extra]);
  const url = await tsgi.listening;
  const metrics = await metricsUrl(tsgi);
  if (workers > 1) await waitReady(tsgi, workers);
  return { tsgi, url, metrics };
}

/** `/stats` of a metrics URL. */
export async function stats(url: string): Promise<Stats> {
  const answer = await get(url, '/stats');
  if (answer.status !== 200) throw new Error(`/stats: ${answer.status} ${answer.error ?? ''}`);
  return JSON.parse(answer.body) as Stats;
}

/** `/metrics` of a metrics URL. */
export async function exposition(url: string): Promise<string> {
  const answer = await get(url, '/metrics');
  if (answer.status !== 200) throw new Error(`/metrics: ${answer.status} ${answer.error ?? ''}`);
  return answer.body;
}

/**
 * Polls `/stats` until `check` holds (workers report every second); throws
 * after `ms` (unscaled, `BOUNDS.process` by default) with `what` and the last
 * reading (or the last failed read). A scrape that fails is read again. Every
 * 200 ms at most: each scrape costs the master a read of /proc/net/tcp.
 */
export async function statsUntil(
  url: string,
  check: (s: Stats) => boolean,
  what = 'the /stats reading the test waits for',
  ms: number = BOUNDS.process,
): Promise<Stats> {
  let reading: Stats | undefined;
  let failed: unknown;
  await until(
    async () => {
      try {
        reading = await stats(url);
        failed = undefined;
      } catch (error) {
        failed = error;
        return false;
      }
      return check(reading);
    },
    {
      ms,
      what,
      every: 200,
      details: () =>
        `last /stats: ${JSON.stringify(reading, null, 1)}` +
        (failed === undefined ? '' : `\nthe read after it failed: ${String(failed)}`),
    },
  );
  return reading!;
}

/** Runs `promtool check metrics` on `text`: its exit code and what it said. */
export function promtoolCheck(text: string): { status: number | null; output: string } {
  const run = spawnSync('promtool', ['check', 'metrics'], {
    input: text,
    encoding: 'utf8',
    timeout: bound(BOUNDS.process),
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** The value of the sample `name{labels}` in an exposition, or undefined. */
export function sampleValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
