import {
  context,
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  propagation,
  SpanKind,
  type SpanOptions,
  trace,
} from '@opentelemetry/api';
import type { Application } from '@tsgi/spec';
import { environGetter } from './environ-getter.js';
import { type OtelOptions, resolveOtelOptions } from './options.js';
import { normalizeMethod } from './request-attributes.js';
import { OTEL_CONTEXT_KEY, ServerSpan } from './server-span.js';

/** Every span starts with these options: the attributes are added only when it records. */
const SERVER: SpanOptions = { kind: SpanKind.SERVER };

/**
 * Records a server span for every request of `app`, by OpenTelemetry's HTTP
 * semantic conventions, through `@opentelemetry/api` (a peer dependency: the
 * app's own SDK does the recording and exporting).
 *
 * - The parent comes from the request's `traceparent` and `tracestate`
 *   headers, through the registered propagator (`propagation.extract`).
 * - The span is named `METHOD route`, the route being
 *   `environ['tsgi.route'].pattern` as a router set it; just `METHOD` when no
 *   route matched.
 * - It stays open until the server closes the body, so a streamed response is
 *   timed whole; a thrown error, a body error and a 5xx set status ERROR.
 * - The span's context is the active context while the app runs
 *   (`context.with`), and `environ['otel.context']` for work done later, such
 *   as while the body streams.
 *
 * When the span does not record (no SDK registered, or sampled out), nothing
 * else is done: no attributes, no body wrapper.
 *
 * @example
 * import { otel } from '@tsgi/middleware-otel';
 * const app = otel(router({ '/items/:id': getItem }));
 */
export function otel(app: Application, options?: OtelOptions): Application {
  const { tracer, ignore } = resolveOtelOptions(options);
  return (environ, startResponse) => {
    if (ignore?.(environ) === true) return app(environ, startResponse);
    const parent = propagation.extract(context.active(), environ, environGetter);
    const method = normalizeMethod(environ.REQUEST_METHOD);
    const span = tracer.startSpan(method === '_OTHER' ? 'HTTP' : method, SERVER, parent);
    if (!span.isRecording()) {
      // Sampled out, or no SDK: pass the trace on (a valid unsampled span), and do nothing else.
      // The no-op tracer's span holds INVALID_SPAN_CONTEXT itself: no need to check its ids.
      const spanContext = span.spanContext();
      const active =
        spanContext !== INVALID_SPAN_CONTEXT && isSpanContextValid(spanContext)
          ? trace.setSpan(parent, span)
          : parent;
      environ[OTEL_CONTEXT_KEY] = active;
      return context.with(active, app, undefined, environ, startResponse);
    }
    return new ServerSpan(span, environ, method).run(
      app,
      trace.setSpan(parent, span),
      startResponse,
    );
  };
}
