import type { Application } from '@tsgi/spec';
import { jsonResponse, textResponse, validate } from '@tsgi/spec';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../../../tools/test-support/index.ts';
// By path, not by name: @tsgi/router's tests depend on @tsgi/node (through the test client).
import { createRouter } from '../../../router/src/index.ts';
import { serve, type TsgiServer } from '../../src/index.js';
import {
  HTTP_BODY_SIZE_BUCKETS,
  HTTP_DURATION_BUCKETS,
  MetricsCollector,
  metricsApplication,
} from '../../src/metrics/index.js';
import { exposition, promtoolCheck, sampleValue } from './helpers.js';

const started: TsgiServer[] = [];
const collectors: MetricsCollector[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
  for (const c of collectors.splice(0)) c.stop();
});

const quiet = { write: () => true };

/** A router app served with a collector of its own, `/metrics` among its routes. */
async function start(): Promise<{ url: string; held: { release?: () => void } }> {
  const collector = new MetricsCollector();
  collectors.push(collector);
  const held: { release?: () => void } = {};
  const router = createRouter()
    .get('/items/:id', (environ, startResponse) =>
      jsonResponse(startResponse, 200, { id: environ.PATH_INFO }),
    )
    .post('/items', async (environ, startResponse) => {
      await environ['tsgi.input'].read();
      return textResponse(startResponse, 201, 'x'.repeat(5000));
    })
    .get('/fail', (_environ, startResponse) => textResponse(startResponse, 503, 'down\n'))
    .get('/throw', () => {
      throw new TypeError('the app broke');
    })
    .get('/throw-late', (_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      return (function* () {
        yield new TextEncoder().encode('partial\n');
        throw new RangeError('the body broke');
      })();
    })
    .get('/wait', async (_environ, startResponse) => {
      await new Promise<void>((resolve) => {
        held.release = resolve;
      });
      return textResponse(startResponse, 200, 'done\n');
    })
    .get('/metrics', metricsApplication(collector) as Application);
  const server = await serve(validate(router), { port: 0, metrics: collector, errors: quiet });
  started.push(server);
  return { url: server.address.url.replace(/\/$/, ''), held };
}

/** `name_count{labels}` of the duration histogram. */
const durationCount = (text: string, labels: string) =>
  sampleValue(text, `http_server_request_duration_seconds_count{${labels}}`);

describe('OpenTelemetry HTTP server metrics', () => {
  it('label a routed request with its route pattern, scheme and protocol', async () => {
    const { url } = await start();
    for (const id of ['7', '8', '9']) expect((await fetch(`${url}/items/${id}`)).status).toBe(200);
    const text = await exposition(url);
    expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
    const labels =
      'http_request_method="GET",http_response_status_code="200",url_scheme="http",http_route="/items/:id",network_protocol_version="1.1"';
    expect(durationCount(text, labels)).toBe(3);
    // Exactly OpenTelemetry's boundaries, then +Inf.
    const bounds = text
      .split('\n')
      .filter((l) => l.startsWith(`http_server_request_duration_seconds_bucket{${labels},`))
      .map((l) => l.match(/le="([^"]+)"/)![1]);
    expect(bounds).toEqual([...HTTP_DURATION_BUCKETS.map(String), '+Inf']);
    expect(
      sampleValue(text, `http_server_request_duration_seconds_bucket{${labels},le="+Inf"}`),
    ).toBe(3);
    expect(sampleValue(text, `http_server_response_body_size_bytes_count{${labels}}`)).toBe(3);
  });

  it('give 10,000 random unmatched URLs one series: no route label', async () => {
    const { url } = await start();
    let next = 0;
    const statuses = new Set<number>();
    // 16 clients, 10,000 requests in all: bounded in count, each by fetch's own time-out.
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < 10_000) {
          next++;
          const answer = await fetch(`${url}/${Math.random().toString(36).slice(2)}/x`);
          await answer.arrayBuffer();
          statuses.add(answer.status);
        }
      }),
    );
    expect([...statuses]).toEqual([404]);
    const text = await exposition(url);
    const counts = text
      .split('\n')
      .filter((l) => l.startsWith('http_server_request_duration_seconds_count'));
    expect(counts).toEqual([
      'http_server_request_duration_seconds_count{http_request_method="GET",http_response_status_code="404",url_scheme="http",network_protocol_version="1.1"} 10000',
    ]);
    expect(text).not.toContain('http_route=');
    expect(promtoolCheck(text).status).toBe(0);
  });

  it('count an unknown method as _OTHER, and requests in flight by method and scheme', async () => {
    const { url, held } = await start();
    expect((await fetch(`${url}/items/1`, { method: 'PURGE' })).status).toBe(405);
    const waiting = fetch(`${url}/wait`);
    await until(() => held.release !== undefined, { what: 'the app to hold /wait' });
    const during = await exposition(url);
    // /wait and the /metrics request itself.
    const active = 'http_server_active_requests{http_request_method="GET",url_scheme="http"}';
    expect(sampleValue(during, active)).toBe(2);
    expect(
      sampleValue(
        during,
        'http_server_active_requests{http_request_method="_OTHER",url_scheme="http"}',
      ),
    ).toBe(0);
    held.release!();
    expect((await waiting).status).toBe(200);
    const text = await exposition(url);
    expect(
      durationCount(
        text,
        'http_request_method="_OTHER",http_response_status_code="405",url_scheme="http",network_protocol_version="1.1"',
      ),
    ).toBe(1);
    expect(text).not.toContain('PURGE');
    expect(sampleValue(text, active)).toBe(1);
    expect(promtoolCheck(text).status).toBe(0);
  });

  it('set error_type: the status of a 5xx, the class of what the app threw', async () => {
    const { url } = await start();
    expect((await fetch(`${url}/fail`)).status).toBe(503);
    expect((await fetch(`${url}/throw`)).status).toBe(500);
    // The head is out when the body throws: the connection is cut.
    const late = await fetch(`${url}/throw-late`).then(
      (answer) =>
        answer.text().then(
          () => 'whole',
          () => 'cut',
        ),
      () => 'cut',
    );
    expect(late).toBe('cut');
    expect((await fetch(`${url}/items/1`)).status).toBe(200);
    const text = await exposition(url);
    const common = 'url_scheme="http",http_route=';
    expect(
      durationCount(
        text,
        `http_request_method="GET",http_response_status_code="503",${common}"/fail",network_protocol_version="1.1",error_type="503"`,
      ),
    ).toBe(1);
    expect(
      durationCount(
        text,
        `http_request_method="GET",http_response_status_code="500",${common}"/throw",network_protocol_version="1.1",error_type="TypeError"`,
      ),
    ).toBe(1);
    expect(
      durationCount(
        text,
        `http_request_method="GET",http_response_status_code="200",${common}"/throw-late",network_protocol_version="1.1",error_type="RangeError"`,
      ),
    ).toBe(1);
    // A success carries no error_type.
    expect(
      durationCount(
        text,
        `http_request_method="GET",http_response_status_code="200",${common}"/items/:id",network_protocol_version="1.1"`,
      ),
    ).toBe(1);
    expect(promtoolCheck(text).status).toBe(0);
  });

  it('measure request and response body sizes in their buckets', async () => {
    const { url } = await start();
    const answer = await fetch(`${url}/items`, { method: 'POST', body: 'y'.repeat(300) });
    expect(answer.status).toBe(201);
    expect((await answer.text()).length).toBe(5000);
    const text = await exposition(url);
    const labels =
      'http_request_method="POST",http_response_status_code="201",url_scheme="http",http_route="/items",network_protocol_version="1.1"';
    const at = (name: string, le?: number) =>
      sampleValue(
        text,
        `${name}${le === undefined ? '' : '_bucket'}{${labels}${le === undefined ? '' : `,le="${le}"`}}`,
      );
    expect(sampleValue(text, `http_server_request_body_size_bytes_sum{${labels}}`)).toBe(300);
    expect(at('http_server_request_body_size_bytes', 256)).toBe(0);
    expect(at('http_server_request_body_size_bytes', 1024)).toBe(1);
    expect(sampleValue(text, `http_server_response_body_size_bytes_sum{${labels}}`)).toBe(5000);
    expect(at('http_server_response_body_size_bytes', 4096)).toBe(0);
    expect(at('http_server_response_body_size_bytes', 16_384)).toBe(1);
    expect(HTTP_BODY_SIZE_BUCKETS).toContain(16_384);
    expect(promtoolCheck(text).status).toBe(0);
  });
});
