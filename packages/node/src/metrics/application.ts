import { type Application, jsonResponse, textResponse, textResponseParts } from '@tsgi/spec';
import { EXPOSITION_CONTENT_TYPE, renderExposition } from './exposition.js';
import { statsOf } from './stats.js';
import type { MetricsSource } from './view.js';

/**
 * A TSGI application serving `source`'s figures: `GET /metrics` in the
 * Prometheus text format, `GET /stats` as JSON (docs/operations/metrics.md), anything
 * else 404 (405 for another method). The path is read from `PATH_INFO`, so
 * it works mounted under a prefix. The `tsgi` master runs it on `--metrics`;
 * a single-process app can mount it on a route of its own.
 *
 * @example
 * const metrics = new MetricsCollector();
 * await serve(app, { port: 8000, metrics });
 * await serve(metricsApplication(metrics), { port: 9100 });
 */
export function metricsApplication(source: MetricsSource): Application {
  return (environ, startResponse) => {
    const path = environ.PATH_INFO.replace(/\/$/, '').split('/').pop() ?? '';
    if (path !== 'metrics' && path !== 'stats') {
      return textResponse(startResponse, 404, 'Not Found: try /metrics or /stats\n');
    }
    if (environ.REQUEST_METHOD !== 'GET' && environ.REQUEST_METHOD !== 'HEAD') {
      return textResponse(startResponse, 405, 'Method Not Allowed\n', [['Allow', 'GET, HEAD']]);
    }
    const view = source.view();
    if (path === 'stats') return jsonResponse(startResponse, 200, statsOf(view));
    const parts = textResponseParts(200, renderExposition(view));
    parts.headers[0] = ['Content-Type', EXPOSITION_CONTENT_TYPE];
    startResponse(parts.status, parts.headers);
    return [parts.body];
  };
}
