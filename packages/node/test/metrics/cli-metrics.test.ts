import { connect, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { BOUNDS, bound, guarded } from '../../../../tools/test-support/index.ts';
import { get, load } from '../cli/load.js';
import { startTsgi } from '../cli/run-tsgi.js';
import {
  exposition,
  metricsUrl,
  promtoolCheck,
  sampleValue,
  startWithMetrics,
  stats,
  statsUntil,
} from './helpers.js';

/** Sends `raw` on a fresh connection and resolves with what came back once the server closes it. */
function rawRequest(url: string, raw: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => socket.write(raw));
    let answer = '';
    socket.setEncoding('latin1');
    socket.setTimeout(bound(BOUNDS.short), () => socket.destroy());
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', () => {});
  });
}

function post(url: string, path: string, body: string): Promise<number> {
  return fetch(`${url}${path}`, { method: 'POST', body }).then(async (res) => {
    await res.arrayBuffer();
    return res.status;
  });
}

describe('tsgi --metrics under a master', () => {
  it('counts a known bounded load exactly, by status class, and promtool accepts /metrics', async () => {
    const { tsgi, url, metrics } = await startWithMetrics(2, '--max-url-length', '200');
    expect(metrics).not.toBe(url);
    // The metrics listener serves only the figures; the app's port serves only the app
    // (its 404 for /metrics is one of the 7 GET 4xx counted below).
    expect((await get(metrics, '/health')).status).toBe(404);
    expect((await get(url, '/metrics')).status).toBe(404);

    const ok = await load(url, { count: 40, concurrency: 4 });
    expect(ok.ok).toBe(40);
    const missing = await load(url, { count: 6, concurrency: 2, path: '/nothing-here' });
    expect(missing.failed.map((o) => o.status)).toEqual(new Array(6).fill(404));
    for (let i = 0; i < 3; i++) expect(await post(url, '/echo', 'x'.repeat(100))).toBe(200);
    expect((await get(url, `/${'a'.repeat(300)}`)).status).toBe(414);
    expect(await rawRequest(url, 'NOT HTTP AT ALL\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);

    const reading = await statsUntil(
      metrics,
      (s) => s.totals.requests === 50 && Object.keys(s.totals.refused).length === 2,
      '50 requests and 2 refusals counted',
    );
    expect(reading.mode).toBe('master');
    expect(reading.totals.requests_by_class).toEqual({
      'GET 2xx': 40,
      'GET 4xx': 7,
      'POST 2xx': 3,
    });
    expect(reading.totals.refused).toEqual({ '400': 1, '414': 1 });
    expect(reading.totals.received_bytes).toBe(300);
    expect(reading.workers.map((w) => w.requests).reduce((a, b) => a + b)).toBe(50);
    expect(reading.lifecycle).toEqual({
      starts: 2,
      exits: { reload: 0, 'max-requests': 0, harakiri: 0, ttou: 0, shutdown: 0, crash: 0 },
    });

    const text = await exposition(metrics);
    const check = promtoolCheck(text);
    expect(check.output).toBe('');
    expect(check.status).toBe(0);
    const at = (series: string) => sampleValue(text, series);
    expect(at('tsgi_requests_total{method="GET",status_class="2xx"}')).toBe(40);
    expect(at('tsgi_requests_total{method="GET",status_class="4xx"}')).toBe(7);
    expect(at('tsgi_requests_total{method="POST",status_class="2xx"}')).toBe(3);
    expect(at('tsgi_refused_requests_total{status="414"}')).toBe(1);
    expect(at('tsgi_refused_requests_total{status="400"}')).toBe(1);
    expect(at('tsgi_request_duration_seconds_count')).toBe(50);
    expect(at('tsgi_request_duration_seconds_bucket{le="+Inf"}')).toBe(50);
    expect(at('tsgi_request_body_bytes_total')).toBe(300);
    expect(at('tsgi_requests_in_flight')).toBe(0);
    expect(at('tsgi_workers{state="ready"}')).toBe(2);
    expect(at('tsgi_worker_starts_total')).toBe(2);
    for (const worker of reading.workers) {
      expect(
        at(`tsgi_worker_resident_memory_bytes{worker="${worker.id}",pid="${worker.pid}"}`),
      ).toBeGreaterThan(1_000_000);
    }
    tsgi.child.kill('SIGTERM');
    expect(await tsgi.exited).toBe(0);
  });

  it('shows a request in flight while it runs', async () => {
    const { url, metrics } = await startWithMetrics(2);
    // In flight over several of the workers' one-second reports, more on a slower machine.
    const slow = get(url, `/slow?ms=${bound(4000)}`, BOUNDS.process);
    await statsUntil(metrics, (s) => s.totals.in_flight === 1, 'the request in flight');
    expect((await slow).status).toBe(200);
    const after = await statsUntil(
      metrics,
      (s) => s.totals.in_flight === 0 && s.totals.requests === 1,
      'the request done',
    );
    expect(after.totals.p99_ms).toBeGreaterThan(1000);
  });

  it('refuses a --metrics address on the application port', async () => {
    // A port the kernel picked, held by the test: tsgi refuses before it binds anything
    // (and would fail to bind it rather than take a port someone else listens on).
    const held = createServer();
    await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve));
    const port = (held.address() as { port: number }).port;
    await guarded(
      async () => {
        const tsgi = startTsgi(
          `serve app.mjs --port ${port} --workers 2 --metrics :${port}`.split(' '),
        );
        expect(await tsgi.exited).toBe(1);
        expect(tsgi.stderr()).toMatch(new RegExp(`port ${port} is the application's`));
      },
      () => new Promise((resolve) => held.close(resolve)),
    );
  });
});

describe('tsgi --metrics with --workers 1', () => {
  it('serves the figures of the one process (TSGI_METRICS), and promtool accepts them', async () => {
    const tsgi = startTsgi('serve app.mjs --port 0 --workers 1'.split(' '), {
      env: { TSGI_METRICS: '127.0.0.1:0' },
    });
    const url = await tsgi.listening;
    const metrics = await metricsUrl(tsgi);
    expect((await load(url, { count: 12, concurrency: 3 })).ok).toBe(12);
    const reading = await stats(metrics);
    expect(reading.mode).toBe('single');
    expect(reading.lifecycle).toBeNull();
    expect(reading.totals.requests_by_class).toEqual({ 'GET 2xx': 12 });
    expect(reading.workers).toHaveLength(1);
    const text = await exposition(metrics);
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
    expect(text).not.toContain('tsgi_worker_exits_total');
    tsgi.child.kill('SIGTERM');
    expect(await tsgi.exited).toBe(0);
  });
});
