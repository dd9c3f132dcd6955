import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { h2loadSample, parseH2load } from '../h2load.ts';

/**
 * Reports of h2load 1.52 (`h2load -c2 -m10 -t1 -D 1 --warm-up-time=1`)
 * against a node:http2 secure server on loopback: one that answers every
 * request, one that resets every stream, one run against a closed port.
 */
const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/h2load-${name}.txt`, import.meta.url), 'utf8');

describe('parseH2load', () => {
  it('reads the figures of a run that served every request', () => {
    const report = parseH2load(fixture('served'));
    expect(report).toEqual({
      seconds: 2,
      requestsPerSecond: 53340,
      total: 53340,
      started: 53340,
      done: 53340,
      succeeded: 53340,
      failed: 0,
      errored: 0,
      timeout: 0,
      // h2load counts the status codes of its warm-up too.
      ok2xx: 53350,
      protocol: 'h2',
    });
    expect(h2loadSample(report)).toEqual({
      requests: 53340,
      requestsPerSecond: 53340,
      errors: 0,
    });
  });

  it('counts reset streams as failed requests', () => {
    const report = parseH2load(fixture('reset'));
    expect(report.succeeded).toBe(0);
    expect(report.failed).toBe(report.done);
    expect(report.errored).toBe(report.done);
    expect(h2loadSample(report).errors).toBe(report.done);
  });

  it('counts a run that made no connection as failed', () => {
    const report = parseH2load(fixture('refused'));
    expect(report.done).toBe(0);
    expect(report.protocol).toBeUndefined();
    expect(h2loadSample(report)).toEqual({ requests: 0, requestsPerSecond: 0, errors: 1 });
  });

  it('refuses output without a report', () => {
    expect(() => parseH2load('--warm-up-time: value error 0.5\n')).toThrow(/no "finished in"/);
  });
});
