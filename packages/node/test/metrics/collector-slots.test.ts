import { afterEach, describe, expect, it } from 'vitest';
import type { LogRequest } from '../../src/contracts/access-log.js';
import type { ListenerRequest } from '../../src/contracts/request-events.js';
import { MetricsCollector } from '../../src/metrics/index.js';

const collectors: MetricsCollector[] = [];
afterEach(() => {
  for (const c of collectors.splice(0)) c.stop();
});

/** A collector attached to a stand-in listener: `arrive` reports a request, `close` ends it. */
function attached() {
  const collector = new MetricsCollector();
  collectors.push(collector);
  let emit: ((request: ListenerRequest) => void) | undefined;
  collector.attach({ on: (_event, listener) => (emit = listener) });
  const arrive = (method: string, scheme?: string) => {
    const closers: Array<() => void> = [];
    emit!({
      method,
      target: '/',
      ...(scheme === undefined ? {} : { scheme }),
      abort: () => {},
      onClose: (listener) => void closers.push(listener),
    });
    return () => {
      for (const close of closers) close();
    };
  };
  return { collector, arrive };
}

const environ = (method: string): LogRequest => ({
  REQUEST_METHOD: method,
  REQUEST_URI: '/',
  SERVER_PROTOCOL: 'HTTP/1.1',
  REMOTE_ADDR: '127.0.0.1',
});

describe('MetricsCollector, counted per label set', () => {
  it('adds a request without a scheme to the http one of its method', () => {
    const { collector, arrive } = attached();
    const closeA = arrive('GET');
    arrive('GET', 'http');
    arrive('PURGE');
    const closeD = arrive('BREW', 'https');
    let sample = collector.sample();
    expect(sample.inFlight).toBe(4);
    expect(sample.active).toEqual({ 'GET http': 2, '_OTHER http': 1, '_OTHER https': 1 });
    closeA();
    closeD();
    sample = collector.sample();
    expect(sample.inFlight).toBe(2);
    expect(sample.active).toEqual({ 'GET http': 1, '_OTHER http': 1, '_OTHER https': 0 });
  });

  it('counts requests by method and status class, refusals apart, across samples', () => {
    const { collector } = attached();
    collector.record(environ('GET'), 400, 0, performance.now(), true);
    expect(collector.sample().requests).toEqual({});
    collector.record(environ('GET'), 200, 5, performance.now());
    collector.record(environ('GET'), 204, 0, performance.now());
    collector.record(environ('TRACE'), 405, 0, performance.now());
    collector.record(environ('PURGE'), 405, 0, performance.now());
    const sample = collector.sample();
    expect(sample.requests).toEqual({ 'GET 2xx': 2, 'other 4xx': 2 });
    expect(sample.refused).toEqual({ '400': 1 });
    expect(Object.keys(sample.http)).toHaveLength(5);
    collector.record(environ('GET'), 201, 0, performance.now());
    expect(collector.sample().requests['GET 2xx']).toBe(3);
  });
});
