import { readFileSync } from 'node:fs';
import type { Application } from '@tsgi/spec';
import { textResponse, validate } from '@tsgi/spec';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../../../tools/test-support/index.ts';
import { createListener, serve, type TsgiServer } from '../../src/index.js';
import { METRICS, MetricsCollector, metricsApplication } from '../../src/metrics/index.js';
import { encodePacket } from '../../src/uwsgi/index.js';
import { get } from '../cli/load.js';
import { rawRequest } from '../helpers.js';
import { nginxVars } from '../uwsgi/helpers.js';
import { exposition, promtoolCheck, sampleValue, stats } from './helpers.js';

const started: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

let release: (() => void) | undefined;
const app: Application = validate(async (environ, startResponse) => {
  if (environ.PATH_INFO === '/wait') await new Promise<void>((r) => (release = r));
  if (environ.PATH_INFO === '/read') await environ['tsgi.input'].read();
  if (environ.PATH_INFO === '/metrics' || environ.PATH_INFO === '/stats') {
    return metricsOn(environ, startResponse);
  }
  return textResponse(
    startResponse,
    ['/', '/wait', '/read'].includes(environ.PATH_INFO) ? 200 : 404,
    'hello\n',
  );
});
const collector = new MetricsCollector();
const metricsOn = metricsApplication(collector);

async function start(options = {}): Promise<TsgiServer> {
  const server = await serve(app, { port: 0, metrics: collector, ...options });
  started.push(server);
  return server;
}

describe('MetricsCollector with serve()', () => {
  it('counts what a single-process app served, on a route the app chose', async () => {
    const server = await start({ maxUrlLength: 50 });
    const url = server.address.url;
    for (let i = 0; i < 7; i++) expect((await get(url, '/')).status).toBe(200);
    expect((await get(url, '/nope')).status).toBe(404);
    expect((await get(url, `/${'x'.repeat(80)}`)).status).toBe(414);
    const waiting = get(url, '/wait');
    await until(() => release !== undefined, { what: 'the app to hold /wait' });
    const during = await stats(url.replace(/\/$/, ''));
    expect(during.mode).toBe('single');
    expect(during.totals.in_flight).toBe(2); // /wait and this /stats request itself
    release!();
    expect((await waiting).status).toBe(200);

    const text = await exposition(url);
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
    expect(sampleValue(text, 'tsgi_requests_total{method="GET",status_class="2xx"}')).toBe(9);
    expect(sampleValue(text, 'tsgi_requests_total{method="GET",status_class="4xx"}')).toBe(1);
    expect(sampleValue(text, 'tsgi_refused_requests_total{status="414"}')).toBe(1);
    expect(sampleValue(text, 'tsgi_response_body_bytes_total')).toBeGreaterThan(9 * 6);
    // The /metrics request being answered is in flight; nothing else is.
    expect(sampleValue(text, 'tsgi_requests_in_flight')).toBe(1);
    expect(text).not.toContain('tsgi_worker_exits_total');
  });

  it('counts the requests of a uwsgi listener too, and their body bytes', async () => {
    const own = new MetricsCollector();
    const listener = createListener(app, 'uwsgi', { metrics: own });
    started.push(listener);
    const { port } = await listener.listen({ port: 0 });
    const vars = nginxVars({
      REQUEST_METHOD: 'POST',
      CONTENT_LENGTH: '5',
      REQUEST_URI: '/read',
      PATH_INFO: '/read',
    });
    const answer = await rawRequest(port!, [encodePacket(vars), 'hello']);
    expect(answer.text).toMatch(/^HTTP\/1\.1 200/);
    const totals = own.view().totals;
    expect(totals.requests).toEqual({ 'POST 2xx': 1 });
    expect(totals.receivedBytes).toBe(5);
    // The response's close, which ends the in-flight count, may follow the connection's end.
    await until(() => own.view().totals.inFlight === 0, {
      what: 'no request in flight',
      details: () => JSON.stringify(own.view().totals),
    });
    own.stop();
  });
});

describe('the metrics page (docs/operations/metrics.md) documents every metric', () => {
  it('with its name, type and meaning, as METRICS states them', () => {
    const page = readFileSync(
      new URL('../../../../docs/operations/metrics.md', import.meta.url),
      'utf8',
    );
    const rows = page
      .split('\n')
      .filter((line) => line.startsWith('| `tsgi_') || line.startsWith('| `http_server_'))
      .map((line) => line.split(' | ').map((cell) => cell.replace(/^\| |\s*\|$/g, '')));
    expect(rows.map((r) => r[0])).toEqual(METRICS.map((m) => `\`${m.name}\``));
    for (const metric of METRICS) {
      const row = rows.find((r) => r[0] === `\`${metric.name}\``)!;
      expect(row.slice(1)).toEqual([
        metric.type,
        metric.labels.map((l) => `\`${l}\``).join(', ') || '–',
        metric.help,
      ]);
    }
  });
});
