import { describe, expect, it } from 'vitest';
import { load } from '../cli/load.js';
import { startTsgi, waitReady } from '../cli/run-tsgi.js';
import { exposition, metricsUrl, promtoolCheck, sampleValue, statsUntil } from './helpers.js';

const ROUTED =
  'http_request_method="GET",http_response_status_code="200",url_scheme="http",http_route="/items/:id",network_protocol_version="1.1"';
const UNMATCHED =
  'http_request_method="GET",http_response_status_code="404",url_scheme="http",network_protocol_version="1.1"';
const POSTED =
  'http_request_method="POST",http_response_status_code="200",url_scheme="http",http_route="/items/:id",network_protocol_version="1.1"';

const count = (text: string, labels: string) =>
  sampleValue(text, `http_server_request_duration_seconds_count{${labels}}`);

describe('tsgi --metrics: the OpenTelemetry HTTP server metrics under a master', () => {
  it('adds up the workers, and keeps the counts of a worker killed outright', async () => {
    const tsgi = startTsgi(
      'serve routed.mjs --port 0 --workers 2 --metrics 127.0.0.1:0'.split(' '),
    );
    const url = await tsgi.listening;
    const metrics = await metricsUrl(tsgi);
    await waitReady(tsgi, 2);

    expect((await load(url, { count: 30, concurrency: 4, path: '/items/7' })).ok).toBe(30);
    const missing = await load(url, { count: 5, concurrency: 2, path: '/nothing/here' });
    expect(missing.failed.map((o) => o.status)).toEqual(new Array(5).fill(404));
    for (let i = 0; i < 3; i++) {
      const answer = await fetch(`${url}/items/1`, { method: 'POST', body: 'z'.repeat(100) });
      expect(answer.status).toBe(200);
      await answer.arrayBuffer();
    }
    const reading = await statsUntil(metrics, (s) => s.totals.requests === 38, '38 requests');
    let text = await exposition(metrics);
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
    expect(count(text, ROUTED)).toBe(30);
    expect(count(text, UNMATCHED)).toBe(5);
    expect(count(text, POSTED)).toBe(3);
    expect(sampleValue(text, `http_server_request_body_size_bytes_sum{${POSTED}}`)).toBe(300);

    // kill -9 the worker that served the most: what it had reported stays counted.
    const victim = [...reading.workers].sort((a, b) => b.requests - a.requests)[0]!;
    expect(victim.requests).toBeGreaterThan(0);
    process.kill(victim.pid, 'SIGKILL');
    await tsgi.waitFor(new RegExp(`\\(pid ${victim.pid}\\) died`));
    await waitReady(tsgi, 2);
    await statsUntil(
      metrics,
      (s) => s.workers.length === 2 && s.workers.every((w) => w.pid !== victim.pid),
      'the killed worker replaced',
    );
    expect((await load(url, { count: 4, concurrency: 2, path: '/items/8' })).ok).toBe(4);
    await statsUntil(metrics, (s) => s.totals.requests === 42, '42 requests');
    text = await exposition(metrics);
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
    expect(count(text, ROUTED)).toBe(34);
    expect(count(text, UNMATCHED)).toBe(5);
    expect(count(text, POSTED)).toBe(3);
    // The gauge counts living workers only: nothing runs now.
    const active = text.split('\n').filter((l) => l.startsWith('http_server_active_requests{'));
    expect(active.length).toBeGreaterThan(0);
    for (const line of active) expect(line).toMatch(/ 0$/);
    tsgi.child.kill('SIGTERM');
    expect(await tsgi.exited).toBe(0);
  });
});
