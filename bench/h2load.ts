/**
 * h2load (Debian's nghttp2-client) as a head-to-head load generator, for
 * HTTP/2: each run is `h2load -c<connections> -m<streams> -t1 -D <seconds>
 * --warm-up-time=<w>s <url>`, pinned with taskset like wrk. Its report is read
 * by `parseH2load`; every failed or errored request counts as a failed
 * request of the run, so the rule of trust.ts refuses the table.
 */
import { findCommand, runPinned, versionOf } from './harness.ts';
import type { LoadGenerator, LoadSample } from './head-to-head.ts';

/** The figures of one h2load report. */
export interface H2loadReport {
  /** `finished in`: the whole run, warm-up included, in seconds. */
  seconds: number;
  /** h2load's own requests per second, over the measured duration only. */
  requestsPerSecond: number;
  /** The `requests:` line: total, started, done, succeeded (2xx or 3xx), failed, errored, timeout. */
  total: number;
  started: number;
  done: number;
  succeeded: number;
  /** Requests that did not succeed, HTTP-level failures (4xx, 5xx) included. */
  failed: number;
  /** The failed requests that got no response (socket errors, streams reset); part of `failed`. */
  errored: number;
  /** The errored requests whose connection timed out; part of `errored`. */
  timeout: number;
  /** Responses with a 2xx status (the `status codes:` line, which counts the warm-up's too). */
  ok2xx: number;
  /** The protocol ALPN chose (`Application protocol:`), `undefined` when no connection was made. */
  protocol: string | undefined;
}

/** `finished in 2.00s, 53340.00 req/s, 2.09MB/s`: the time (with its unit) and the rate. */
const FINISHED = /^finished in ([\d.]+)(us|ms|s),\s+([\d.]+) req\/s/m;
const REQUESTS =
  /^requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout$/m;
const PROTOCOL = /^Application protocol: (\S+)$/m;
const STATUS_2XX = /^status codes: (\d+) 2xx/m;
const UNIT_SECONDS: Record<string, number> = { us: 1e-6, ms: 1e-3, s: 1 };

/**
 * Reads an h2load report (its standard output). Throws when the `finished in`
 * or `requests:` line is missing, e.g. when h2load refused its arguments.
 */
export function parseH2load(output: string): H2loadReport {
  const finished = FINISHED.exec(output);
  const requests = REQUESTS.exec(output);
  if (finished === null || requests === null)
    throw new Error(`h2load: no "finished in" or "requests:" line in its output:\n${output}`);
  const [total, started, done, succeeded, failed, errored, timeout] = requests
    .slice(1)
    .map(Number) as [number, number, number, number, number, number, number];
  return {
    seconds: Number(finished[1]) * UNIT_SECONDS[finished[2]!]!,
    requestsPerSecond: Number(finished[3]),
    total,
    started,
    done,
    succeeded,
    failed,
    errored,
    timeout,
    ok2xx: Number(STATUS_2XX.exec(output)?.[1] ?? 0),
    protocol: PROTOCOL.exec(output)?.[1],
  };
}

/**
 * A report as a head-to-head sample: the requests served are the succeeded
 * ones; the failed ones (`failed`, which holds the errored and timed-out
 * ones) are its errors, and so is a run that served nothing at all (no
 * connection made, or ALPN chose no protocol h2load speaks), which h2load
 * reports as zero requests done without an error.
 */
export function h2loadSample(report: H2loadReport): LoadSample {
  const nothing = report.done === 0;
  return {
    requests: report.succeeded,
    requestsPerSecond: report.requestsPerSecond,
    errors: Math.max(report.failed, report.errored, report.timeout) + (nothing ? 1 : 0),
  };
}

/** How h2load loads each server. */
export interface H2loadOptions {
  /** Concurrent streams per connection (`-m`). Default 10. */
  streams?: number;
  /** Seconds of warm-up inside each run, not counted (`--warm-up-time`). Default 1. */
  warmUp?: number;
}

/** The path of `h2load` when installed (Debian: `apt-get install nghttp2-client`). */
export function findH2load(): string | undefined {
  return findCommand('h2load');
}

/**
 * h2load as the `load` of `runHeadToHead`, or `undefined` when it is not
 * installed. One thread (`-t1`) and the harness's connection count (`-c`),
 * `streams` requests in flight on each; a run of `seconds` lasts `warmUp`
 * seconds more, and counts only the requests of its last `seconds`.
 */
export function h2load(options: H2loadOptions = {}): LoadGenerator | undefined {
  const path = findH2load();
  if (path === undefined) return undefined;
  const streams = options.streams ?? 10;
  const warmUp = options.warmUp ?? 1;
  const args = (seconds: number, connections: number) => [
    `-c${connections}`,
    `-m${streams}`,
    '-t1',
    '-D',
    String(seconds),
    `--warm-up-time=${warmUp}`,
  ];
  return {
    name: versionOf(path, ['--version']),
    command: (seconds, connections) => `h2load ${args(seconds, connections).join(' ')} <url>`,
    run: (url, seconds, connections, cpu) =>
      runPinned(cpu, path, [...args(seconds, connections), url], seconds + warmUp).then((stdout) =>
        h2loadSample(parseH2load(stdout)),
      ),
  };
}
