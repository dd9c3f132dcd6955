/**
 * HTTP/2 load across drains: h2load runs one after another in a few lanes, so
 * new connections keep arriving while workers drain, and what the runs add up
 * to. h2load (nghttp2 1.52 up to its newest) never opens a new connection
 * after an HTTP/2 GOAWAY (it does so only after an HTTP/1.1 `Connection:
 * close`): a stream it opened past the GOAWAY's last stream id is closed as
 * refused (RFC 9113 §6.8: never processed, safe to retry), and the requests
 * of that connection's share it had not sent yet are never sent. It counts
 * both as failed and errored. A run that met no GOAWAY has none of either.
 *
 * A connection can also end under streams h2load opened (started, not done:
 * abandoned), about once in twenty drains on Node 22–26: the streams it had
 * on their way when `node:http2` destroyed the session after its last
 * stream. The app never ran them (the ledger check holds that), but the
 * client cannot tell. Each run allows at most the streams its connections
 * could have open.
 */
import { expect } from 'vitest';
import { type H2loadReport, h2load } from '../http2/h2-clients.ts';

/** Options of {@link h2loadLoop}. */
export interface H2loadLoopOptions {
  /** h2load's arguments for each run (`-c8 -m10 -n3000`). */
  args: string[];
  /** Runs under way at once, each lane starting its next run when its last one ends. */
  lanes: number;
  /** At most this many runs in all. */
  maxRuns: number;
  /** No run starts once this returns true. */
  stopWhen: () => boolean;
}

/**
 * Runs h2load against `url` in `lanes` lanes until `stopWhen()` or `maxRuns`
 * runs; resolves with every run's report, in the order they ended. Each run
 * is bounded in time by `h2load()`, the loop in count.
 */
export async function h2loadLoop(url: string, options: H2loadLoopOptions): Promise<H2loadReport[]> {
  const reports: H2loadReport[] = [];
  let begun = 0;
  const lane = async () => {
    while (begun < options.maxRuns && !options.stopWhen()) {
      begun++;
      reports.push(await h2load(url, options.args));
    }
  };
  await Promise.all(Array.from({ length: options.lanes }, lane));
  return reports;
}

/** What a set of h2load runs adds up to. */
export interface H2loadTally {
  runs: number;
  /** Runs in which every request succeeded. */
  clean: number;
  total: number;
  succeeded: number;
  /** Streams h2load opened that were closed without a 2xx: refused by a GOAWAY (or reset). */
  refused: number;
  /** Streams h2load opened that never closed: their connection ended under them. */
  abandoned: number;
  /** Requests h2load never sent: their connection had a GOAWAY, and h2load opens no new one. */
  unsent: number;
}

/** Adds up `reports`. */
export function tally(reports: readonly H2loadReport[]): H2loadTally {
  const sum: H2loadTally = {
    runs: 0,
    clean: 0,
    total: 0,
    succeeded: 0,
    refused: 0,
    abandoned: 0,
    unsent: 0,
  };
  for (const r of reports) {
    sum.runs++;
    if (r.failed === 0 && r.succeeded === r.total) sum.clean++;
    sum.total += r.total;
    sum.succeeded += r.succeeded;
    sum.refused += r.done - r.succeeded;
    sum.abandoned += r.started - r.done;
    sum.unsent += r.total - r.started;
  }
  return sum;
}

/** A run that met no drain: `N total, N started, N done, N succeeded, 0 failed, 0 errored, 0 timeout`. */
export function expectClean(report: H2loadReport): void {
  const { total } = report;
  expect(
    [report.started, report.done, report.succeeded, report.ok2xx, report.failed],
    report.output,
  ).toEqual([total, total, total, total, 0]);
  expect([report.errored, report.timeout], report.output).toEqual([0, 0]);
}

/**
 * A run that may have met a GOAWAY on each of its `connections`: no HTTP
 * failure (every stream answered is a 2xx), no timeout, and at most `streams`
 * streams opened and not answered on each connection (a GOAWAY refuses at
 * most the streams the client had open past its last stream id, and a
 * connection that ends under streams has at most that many open).
 */
export function expectOnlyRefusals(
  report: H2loadReport,
  connections: number,
  streams: number,
): void {
  expect(report.ok2xx, report.output).toBe(report.succeeded);
  expect(report.failed, report.output).toBe(report.errored);
  expect(report.timeout, report.output).toBe(0);
  expect(report.started - report.succeeded, report.output).toBeLessThanOrEqual(
    connections * streams,
  );
}
