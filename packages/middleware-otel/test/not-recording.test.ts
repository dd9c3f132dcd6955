import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  AlwaysOffSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { Application, Environ } from '@tsgi/spec';
import { createClient } from '@tsgi/test-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otel } from '../src/index.ts';
import { TRACE_ID, TRACEPARENT } from './tracing.ts';

// No tracer provider is registered globally in this file: the API's no-op
// tracer is what otel() gets by default.
const BODY = [new TextEncoder().encode('ok')];

/** An app that answers BODY, the same array every time, and keeps the environ it saw. */
function constantApp(seen: Environ[]): Application {
  return (environ, startResponse) => {
    seen.push(environ);
    startResponse('200 OK', [['Content-Type', 'text/plain']]);
    return BODY;
  };
}

describe('with no SDK registered (the no-op tracer)', () => {
  it('passes the request through and the body as the app returned it', async () => {
    const seen: Environ[] = [];
    const app = otel(constantApp(seen));
    const res = await createClient(app).get('/');
    expect(await res.text()).toBe('ok');
    expect(seen[0]!['otel.context']).toBe(ROOT_CONTEXT);
    // Called directly: no wrapper around the body, no copy of it.
    const environ = { ...seen[0]!, 'otel.context': undefined };
    expect(app(environ, () => async () => {})).toBe(BODY);
  });
});

describe('with an SDK that samples the request out', () => {
  const provider = new BasicTracerProvider({
    sampler: new AlwaysOffSampler(),
    spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())],
  });
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterAll(async () => {
    await provider.shutdown();
    context.disable();
    propagation.disable();
  });

  it('passes the incoming trace on to the app, unsampled, and the body as it was', async () => {
    const seen: Environ[] = [];
    const active: (string | undefined)[] = [];
    const inner = constantApp(seen);
    const app = otel(
      (environ, startResponse) => {
        active.push(trace.getActiveSpan()?.spanContext().traceId);
        return inner(environ, startResponse);
      },
      { tracerProvider: provider },
    );
    await createClient(app).get('/', { headers: { traceparent: TRACEPARENT } });
    const span = trace.getSpan(seen[0]!['otel.context'] as typeof ROOT_CONTEXT)!;
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext().traceId).toBe(TRACE_ID);
    expect(active).toEqual([TRACE_ID]);
    expect(app({ ...seen[0]! }, () => async () => {})).toBe(BODY);
  });
});
