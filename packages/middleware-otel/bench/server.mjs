// One contender of the otel benchmark: `GET /items/:id` through @tsgi/router on
// @tsgi/node (built dist), as BENCH_OTEL says:
//   none  the app alone;
//   noop  otel(app) with no SDK registered: @opentelemetry/api's no-op
//         tracer provider, propagator and context manager;
//   batch otel(app) with the SDK registered as the README does it
//         (BasicTracerProvider, W3C propagator, AsyncLocalStorage context
//         manager), every span sampled and handed to a BatchSpanProcessor at
//         its defaults, whose exporter discards each batch.

import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ExportResultCode, W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { serve } from '@tsgi/node';
import { params, router } from '@tsgi/router';
import { jsonResponse } from '@tsgi/spec';
import { otel } from '../dist/index.js';

/** A span exporter that drops every batch and reports success. */
const discard = {
  export: (_spans, done) => done({ code: ExportResultCode.SUCCESS }),
  shutdown: () => Promise.resolve(),
  forceFlush: () => Promise.resolve(),
};

const app = router({
  '/items/:id': (environ, startResponse) =>
    jsonResponse(startResponse, 200, { id: params(environ).id }),
});

const which = process.env.BENCH_OTEL ?? 'none';
if (which === 'batch') {
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(discard)] }),
  );
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
} else if (which !== 'noop' && which !== 'none') {
  throw new Error('BENCH_OTEL must be none, noop or batch');
}

const server = await serve(which === 'none' ? app : otel(app), {
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
});
console.log(JSON.stringify({ port: server.address.port }));
