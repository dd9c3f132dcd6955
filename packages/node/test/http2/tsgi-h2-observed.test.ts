// The access log and the metrics see HTTP/2 requests like any other.
import { expect, it } from 'vitest';
import { BOUNDS, guarded, until } from '../../../../tools/test-support/index.ts';
import { MetricsCollector, renderExposition } from '../../src/metrics/index.js';
import { curl } from '../tls/certs.ts';
import { startTsgiH2 } from './tsgi-server.ts';

it('logs an h2 request as HTTP/2.0 and counts it under network_protocol_version "2"', async () => {
  const lines: string[] = [];
  const collector = new MetricsCollector();
  const target = await startTsgiH2({
    accessLog: 'common',
    accessLogStream: { write: (line: string) => lines.push(line) > 0 },
    metrics: collector,
  });
  await guarded(
    async () => {
      const answer = await curl(`${target.url}/`, target.pki.ca, ['--http2']);
      expect(answer.body).toBe('hello');
      await until(() => lines.some((line) => line.includes('"GET / HTTP/2.0" 200 5')), {
        ms: BOUNDS.short,
        what: 'the access log line of the h2 request',
        details: () => JSON.stringify(lines),
      });
      await until(
        () =>
          /http_server_request_duration_seconds_count\{[^}]*network_protocol_version="2"[^}]*\} 1/.test(
            renderExposition(collector.view()),
          ),
        {
          ms: BOUNDS.short,
          what: 'the h2 request in the metrics',
          details: () => renderExposition(collector.view()),
        },
      );
    },
    () => target.close(),
    () => collector.stop(),
  );
});

it('counts requests refused before the app under the scheme of their connection (https)', async () => {
  const lines: string[] = [];
  const collector = new MetricsCollector();
  const target = await startTsgiH2({
    maxUrlLength: 100,
    accessLog: 'common',
    accessLogStream: { write: (line: string) => lines.push(line) > 0 },
    metrics: collector,
  });
  const long = `/${'a'.repeat(200)}`;
  await guarded(
    async () => {
      const h2 = await curl(`${target.url}${long}`, target.pki.ca, [
        '--http2',
        '-w',
        '%{http_code}',
      ]);
      const h1 = await curl(`${target.url}${long}`, target.pki.ca, ['-w', '%{http_code}']);
      expect([h2.body.slice(-3), h1.body.slice(-3)]).toEqual(['414', '414']);
      const refused = (): string[] =>
        renderExposition(collector.view())
          .split('\n')
          .filter(
            (line) =>
              line.startsWith('http_server_request_duration_seconds_count{') &&
              /status_code="414"/.test(line),
          );
      await until(() => refused().length === 2, {
        ms: BOUNDS.short,
        what: 'both refusals in the metrics',
        details: () => renderExposition(collector.view()),
      });
      for (const line of refused()) expect(line).toMatch(/url_scheme="https"/);
    },
    () => target.close(),
    () => collector.stop(),
  );
});
