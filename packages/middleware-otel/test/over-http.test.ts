import { get } from 'node:http';
import { SpanStatusCode } from '@opentelemetry/api';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions';
import { serve, type TsgiServer } from '@tsgi/node';
import { params, router } from '@tsgi/router';
import { type Application, type ResponseBody, textResponse } from '@tsgi/spec';
import { afterEach, describe, expect, it } from 'vitest';
import { BOUNDS, bound, until } from '../../../tools/test-support/index.ts';
import { otel } from '../src/index.ts';
import { onlySpan, PARENT_SPAN_ID, TRACE_ID, TRACEPARENT, useTracing } from './tracing.ts';

// Over real sockets on loopback, with @tsgi/node: what a deployed app records.
const { exporter, provider } = useTracing();
let server: TsgiServer | undefined;
/** What the server wrote to `tsgi.errors` (its report of an app error). */
const serverErrors: string[] = [];

afterEach(async () => {
  await server?.close({ timeout: bound(BOUNDS.short) });
  server = undefined;
  serverErrors.length = 0;
});

async function start(app: Application): Promise<URL> {
  server = await serve(otel(app, { tracerProvider: provider }), {
    host: '127.0.0.1',
    port: 0,
    errors: { write: (text: string) => serverErrors.push(text) > 0 },
  });
  return new URL(server.address.url);
}

/** Waits for the server to have ended exactly `count` spans. */
async function spansEnded(count: number) {
  await until(() => exporter.getFinishedSpans().length >= count, {
    what: `${count} finished span(s)`,
    details: () =>
      exporter
        .getFinishedSpans()
        .map((span) => span.name)
        .join(', '),
  });
  return exporter.getFinishedSpans();
}

/**
 * A body that sends one chunk, then waits, with no end of its own, until the
 * server closes it: the way a long stream looks when its client leaves.
 */
function stalledBody(closed: () => void): ResponseBody {
  let release: (() => void) | undefined;
  let sent = false;
  const iterator: AsyncIterator<Uint8Array> = {
    next() {
      if (!sent) {
        sent = true;
        return Promise.resolve({ done: false, value: new TextEncoder().encode('first\n') });
      }
      return new Promise((resolve) => {
        release = () => resolve({ done: true, value: undefined });
      });
    },
  };
  return {
    [Symbol.asyncIterator]: () => iterator,
    close() {
      closed();
      release?.();
    },
  };
}

describe('over HTTP with @tsgi/node on 127.0.0.1', () => {
  it('records the route, the traceparent and the connection attributes', async () => {
    const url = await start(
      router({
        '/items/:id': (environ, startResponse) =>
          textResponse(startResponse, 200, `item ${params(environ).id}\n`),
      }),
    );
    const res = await fetch(new URL('/items/9', url), {
      headers: { traceparent: TRACEPARENT },
      signal: AbortSignal.timeout(bound(BOUNDS.short)),
    });
    expect(await res.text()).toBe('item 9\n');
    const [span] = await spansEnded(1);
    expect(span!.name).toBe('GET /items/:id');
    expect(span!.spanContext().traceId).toBe(TRACE_ID);
    expect(span!.parentSpanContext?.spanId).toBe(PARENT_SPAN_ID);
    expect(span!.attributes).toMatchObject({
      [ATTR_HTTP_ROUTE]: '/items/:id',
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: 200,
      [ATTR_URL_SCHEME]: 'http',
      [ATTR_SERVER_ADDRESS]: '127.0.0.1',
      [ATTR_SERVER_PORT]: Number(url.port),
      [ATTR_CLIENT_ADDRESS]: '127.0.0.1',
      [ATTR_NETWORK_PROTOCOL_VERSION]: '1.1',
    });
  });

  it('records an app error: the server answers 500, the span has the exception', async () => {
    const url = await start(() => {
      throw new Error('boom');
    });
    const res = await fetch(url, { signal: AbortSignal.timeout(bound(BOUNDS.short)) });
    expect(res.status).toBe(500);
    await res.arrayBuffer();
    const [span] = await spansEnded(1);
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
    expect(span!.attributes[ATTR_ERROR_TYPE]).toBe('Error');
    expect(span!.events.map((event) => event.name)).toEqual(['exception']);
    expect(serverErrors.join('')).toContain('boom');
  });

  it('ends the span, marked aborted, when the client disconnects mid-stream', async () => {
    let closed = false;
    const url = await start((_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      return stalledBody(() => {
        closed = true;
      });
    });
    // A client that reads the first chunk, then destroys its socket.
    const first = await new Promise<{ text: string; ended: number }>((resolve, reject) => {
      const req = get(url, { timeout: bound(BOUNDS.short) }, (res) => {
        res.once('data', (chunk: Buffer) => {
          resolve({ text: chunk.toString(), ended: exporter.getFinishedSpans().length });
          req.destroy();
        });
      });
      req.on('error', reject);
      req.on('timeout', () => req.destroy(new Error('no first chunk in time')));
    });
    expect(first).toEqual({ text: 'first\n', ended: 0 }); // the span was open while it streamed
    const [span] = await spansEnded(1);
    expect(closed).toBe(true);
    expect(onlySpan(exporter)).toBe(span);
    expect(span!.attributes['tsgi.response.aborted']).toBe(true);
    expect(span!.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE]).toBe(200);
  });
});
