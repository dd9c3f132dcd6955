import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_URL_SCHEME,
  ERROR_TYPE_VALUE_OTHER,
  HTTP_REQUEST_METHOD_VALUE_OTHER,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
} from '@opentelemetry/semantic-conventions';
import * as incubating from '@opentelemetry/semantic-conventions/incubating';
import { describe, expect, it } from 'vitest';
import {
  HTTP_OTHER_ERROR_TYPE,
  HTTP_OTHER_METHOD,
  HTTP_REQUEST_LABELS,
} from '../../src/metrics/http-metrics.js';
import {
  HTTP_DURATION_BUCKETS,
  HTTP_KNOWN_METHODS,
  HTTP_METRICS,
  METRICS,
} from '../../src/metrics/index.js';

/** OpenTelemetry's Prometheus rule: dots become underscores. */
const promName = (otel: string) => otel.replaceAll('.', '_');

/** The Prometheus unit suffix of an OpenTelemetry unit; an annotation (`{request}`) adds none. */
const SUFFIX: Record<string, string> = { s: '_seconds', By: '_bytes', '{request}': '' };

describe('HTTP_METRICS follows the OpenTelemetry HTTP semantic conventions', () => {
  it('names each metric as the conventions do, with its Prometheus unit suffix', () => {
    const byName: Record<string, { unit: string; instrument: string }> = {
      [METRIC_HTTP_SERVER_REQUEST_DURATION]: { unit: 's', instrument: 'histogram' },
      [incubating.METRIC_HTTP_SERVER_ACTIVE_REQUESTS]: {
        unit: '{request}',
        instrument: 'updowncounter',
      },
      [incubating.METRIC_HTTP_SERVER_REQUEST_BODY_SIZE]: { unit: 'By', instrument: 'histogram' },
      [incubating.METRIC_HTTP_SERVER_RESPONSE_BODY_SIZE]: { unit: 'By', instrument: 'histogram' },
    };
    expect(HTTP_METRICS.map((m) => m.otelName).sort()).toEqual(Object.keys(byName).sort());
    for (const metric of HTTP_METRICS) {
      expect({ unit: metric.unit, instrument: metric.instrument }).toEqual(byName[metric.otelName]);
      expect(metric.name).toBe(promName(metric.otelName) + SUFFIX[metric.unit]);
      // An UpDownCounter is a Prometheus gauge; a histogram stays one.
      expect(metric.type).toBe(metric.instrument === 'histogram' ? 'histogram' : 'gauge');
      // And /metrics shows it under that name, type and labels.
      const family = METRICS.find((m) => m.name === metric.name)!;
      expect([family.type, family.labels]).toEqual([metric.type, metric.labels]);
    }
  });

  it('labels requests with the conventions’ attributes, dots as underscores', () => {
    expect(HTTP_REQUEST_LABELS).toEqual(
      [
        ATTR_HTTP_REQUEST_METHOD,
        ATTR_HTTP_RESPONSE_STATUS_CODE,
        ATTR_URL_SCHEME,
        ATTR_HTTP_ROUTE,
        ATTR_NETWORK_PROTOCOL_VERSION,
        ATTR_ERROR_TYPE,
      ].map(promName),
    );
    const active = HTTP_METRICS.find(
      (m) => m.otelName === incubating.METRIC_HTTP_SERVER_ACTIVE_REQUESTS,
    )!;
    expect(active.labels).toEqual([ATTR_HTTP_REQUEST_METHOD, ATTR_URL_SCHEME].map(promName));
  });

  it('uses the recommended duration buckets, exactly', () => {
    expect(HTTP_DURATION_BUCKETS).toEqual([
      0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
    ]);
  });

  it('knows the methods the conventions know; any other method or error class is _OTHER', () => {
    const known = Object.entries(incubating)
      .filter(([key]) => key.startsWith('HTTP_REQUEST_METHOD_VALUE_'))
      .map(([, value]) => value as string)
      .filter((value) => value !== HTTP_REQUEST_METHOD_VALUE_OTHER);
    expect([...HTTP_KNOWN_METHODS].sort()).toEqual(known.sort());
    expect(HTTP_OTHER_METHOD).toBe(HTTP_REQUEST_METHOD_VALUE_OTHER);
    expect(HTTP_OTHER_ERROR_TYPE).toBe(ERROR_TYPE_VALUE_OTHER);
  });
});
