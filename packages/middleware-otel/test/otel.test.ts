import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import * as semconv from '@opentelemetry/semantic-conventions';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_CLIENT_PORT,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
  ATTR_URL_QUERY,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import { params, router } from '@tsgi/router';
import { type Application, jsonResponse } from '@tsgi/spec';
import { createClient } from '@tsgi/test-client';
import { describe, expect, it } from 'vitest';
import { OTEL_CONTEXT_KEY, otel, TRACER_NAME } from '../src/index.ts';
import {
  echoApp,
  environSpan,
  onlySpan,
  PARENT_SPAN_ID,
  TRACE_ID,
  TRACEPARENT,
  useTracing,
} from './tracing.ts';

const { exporter, provider } = useTracing();
const traced = (app: Application) => otel(app, { tracerProvider: provider });

const items = router({
  '/items/:id': {
    GET: (environ, startResponse) => jsonResponse(startResponse, 200, { id: params(environ).id }),
  },
});

// The in-process client wraps the app in validate() from @tsgi/spec, so every
// request also checks the middleware against SPEC.md.
describe('otel, in process through @tsgi/test-client', () => {
  it('records one SERVER span per request, as the child of the traceparent it was sent', async () => {
    const res = await createClient(traced(echoApp)).get('/hello', {
      headers: { traceparent: TRACEPARENT, tracestate: 'vendor=abc' },
    });
    expect(await res.text()).toBe('GET /hello');
    const span = onlySpan(exporter);
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.instrumentationScope.name).toBe(TRACER_NAME);
    expect(span.spanContext().traceId).toBe(TRACE_ID);
    expect(span.parentSpanContext?.spanId).toBe(PARENT_SPAN_ID);
    expect(span.parentSpanContext?.isRemote).toBe(true);
    expect(span.spanContext().traceState?.get('vendor')).toBe('abc');
  });

  it('starts a new trace when the request has no traceparent, or a malformed one', async () => {
    const client = createClient(traced(echoApp));
    await client.get('/');
    await client.get('/', { headers: { traceparent: '00-nonsense-01' } });
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(2);
    for (const span of spans) expect(span.parentSpanContext).toBeUndefined();
  });

  it('names the span METHOD route and sets http.route once the router matched', async () => {
    const client = createClient(traced(items));
    expect(await (await client.get('/items/7')).json()).toEqual({ id: '7' });
    const span = onlySpan(exporter);
    expect(span.name).toBe('GET /items/:id');
    expect(span.attributes[ATTR_HTTP_ROUTE]).toBe('/items/:id');
  });

  it('names an unmatched request by its method alone, with no http.route', async () => {
    expect((await createClient(traced(items)).get('/nothing/here')).status).toBe(404);
    const span = onlySpan(exporter);
    expect(span.name).toBe('GET');
    expect(span.attributes).not.toHaveProperty(ATTR_HTTP_ROUTE);
    expect(span.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE]).toBe(404);
    expect(span.status.code).toBe(SpanStatusCode.UNSET); // a 4xx is the client's error
  });

  it('sets the request and response attributes of the HTTP semantic conventions', async () => {
    const client = createClient(traced(echoApp), { baseUrl: 'https://api.example.com:8443' });
    await client.get('/a%20b/c?x=1&y=2', { headers: { 'User-Agent': 'probe/1.0' } });
    expect(onlySpan(exporter).attributes).toEqual({
      [ATTR_HTTP_REQUEST_METHOD]: 'GET',
      [ATTR_URL_PATH]: '/a%20b/c',
      [ATTR_URL_QUERY]: 'x=1&y=2',
      [ATTR_URL_SCHEME]: 'https',
      [ATTR_SERVER_ADDRESS]: 'api.example.com',
      [ATTR_SERVER_PORT]: 8443,
      [ATTR_CLIENT_ADDRESS]: '127.0.0.1',
      [ATTR_CLIENT_PORT]: expect.any(Number),
      [ATTR_USER_AGENT_ORIGINAL]: 'probe/1.0',
      [ATTR_NETWORK_PROTOCOL_VERSION]: '1.1',
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: 200,
    });
  });

  it('records an unknown method as _OTHER, with the original, in a span named HTTP', async () => {
    await createClient(traced(echoApp)).request('PURGE', '/cache');
    const span = onlySpan(exporter);
    expect(span.name).toBe('HTTP');
    expect(span.attributes[ATTR_HTTP_REQUEST_METHOD]).toBe('_OTHER');
    expect(span.attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL]).toBe('PURGE');
  });

  it('keeps every method the conventions name, and only those', async () => {
    const known = Object.entries(semconv)
      .filter(([key]) => key.startsWith('HTTP_REQUEST_METHOD_VALUE_'))
      .map(([, value]) => value as string)
      .filter((method) => method !== '_OTHER');
    expect(known.length).toBeGreaterThan(8);
    const noContent: Application = (_environ, startResponse) => {
      startResponse('204 No Content', []);
      return [];
    };
    const client = createClient(traced(noContent));
    for (const method of known) await client.request(method, '/');
    const recorded = exporter.getFinishedSpans().map((s) => s.attributes[ATTR_HTTP_REQUEST_METHOD]);
    expect(recorded).toEqual(known);
  });

  it('gives the app the span: in environ["otel.context"] and as the active context', async () => {
    const seen: { environ?: string; active?: string; childParent?: string } = {};
    const app: Application = async (environ, startResponse) => {
      await Promise.resolve(); // across an await, as instrumented libraries run
      seen.environ = environSpan(environ)?.spanContext().spanId;
      seen.active = trace.getActiveSpan()?.spanContext().spanId;
      const child = provider.getTracer('db').startSpan('SELECT items');
      seen.childParent = (
        child as unknown as { parentSpanContext?: { spanId: string } }
      ).parentSpanContext?.spanId;
      child.end();
      return echoApp(environ, startResponse);
    };
    await createClient(traced(app)).get('/');
    const server = exporter.getFinishedSpans().find((span) => span.name === 'GET')!;
    const id = server.spanContext().spanId;
    expect(OTEL_CONTEXT_KEY).toBe('otel.context');
    expect(seen).toEqual({ environ: id, active: id, childParent: id });
  });

  it('leaves a request that ignore() picks untraced', async () => {
    const app = otel(echoApp, {
      tracerProvider: provider,
      ignore: (environ) => environ.PATH_INFO === '/health',
    });
    const client = createClient(app);
    await client.get('/health');
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    await client.get('/items');
    expect(onlySpan(exporter).name).toBe('GET');
  });

  it('refuses bad options when otel() is called, naming the option', () => {
    expect(() => otel(echoApp, 'yes' as never)).toThrow(/otel: options must be an object/);
    expect(() => otel(echoApp, { tracerProvider: {} as never })).toThrow(
      /otel: "tracerProvider" must be an OpenTelemetry TracerProvider/,
    );
    expect(() => otel(echoApp, { ignore: '/health' as never })).toThrow(
      /otel: "ignore" must be a function/,
    );
  });
});
