// The real OpenTelemetry SDK for the tests: spans kept in memory, W3C trace
// context propagation and AsyncLocalStorage contexts, registered globally for
// this test file (vitest runs each file in its own worker).
import { context, propagation, type Span, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { Application, Environ } from '@tsgi/spec';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** A trace id and span id a client would send in `traceparent`. */
export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
export const PARENT_SPAN_ID = '00f067aa0ba902b7';
export const TRACEPARENT = `00-${TRACE_ID}-${PARENT_SPAN_ID}-01`;

/** Sets up the SDK around every test of the calling file; returns its exporter and provider. */
export function useTracing(): { exporter: InMemorySpanExporter; provider: BasicTracerProvider } {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  beforeEach(() => exporter.reset());
  afterAll(async () => {
    await provider.shutdown();
    context.disable();
    propagation.disable();
  });
  return { exporter, provider };
}

/** The one span a request ended, failing with the list when there is not exactly one. */
export function onlySpan(exporter: InMemorySpanExporter): ReadableSpan {
  const spans = exporter.getFinishedSpans();
  if (spans.length !== 1) {
    throw new Error(`expected one finished span, got ${spans.map((s) => s.name).join(', ')}`);
  }
  return spans[0]!;
}

/** An app answering `200 text/plain` with `METHOD PATH_INFO`. */
export const echoApp: Application = (environ, startResponse) => {
  startResponse('200 OK', [['Content-Type', 'text/plain; charset=utf-8']]);
  return [new TextEncoder().encode(`${environ.REQUEST_METHOD} ${environ.PATH_INFO}`)];
};

/** The span active in `environ['otel.context']`. */
export function environSpan(environ: Environ): Span | undefined {
  return trace.getSpan(environ['otel.context'] as Parameters<typeof trace.getSpan>[0]);
}
