import { SpanStatusCode } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_TYPE,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
} from '@opentelemetry/semantic-conventions';
import { router } from '@tsgi/router';
import { type Application, RequestBodyError } from '@tsgi/spec';
import { createClient } from '@tsgi/test-client';
import { describe, expect, it } from 'vitest';
import { otel } from '../src/index.ts';
import { onlySpan, useTracing } from './tracing.ts';

const { exporter, provider } = useTracing();
const traced = (app: Application) => otel(app, { tracerProvider: provider });
const encoder = new TextEncoder();

describe('the span lasts until the body is closed', () => {
  it('stays open while a body streams and ends after its last chunk, sync or async', async () => {
    for (const kind of ['sync', 'async'] as const) {
      exporter.reset();
      let closes = 0;
      const chunks = ['a', 'b', 'c'].map((text) => encoder.encode(text));
      const app: Application = (_environ, startResponse) => {
        startResponse('200 OK', [['Content-Type', 'text/plain']]);
        const body =
          kind === 'sync'
            ? chunks.values()
            : (async function* () {
                yield* chunks;
              })();
        return Object.assign(body, { close: () => void closes++ });
      };
      const res = await createClient(traced(app)).get('/', { stream: true });
      const read: string[] = [];
      for await (const chunk of res.body) {
        read.push(new TextDecoder().decode(chunk));
        if (read.length < 3) expect(exporter.getFinishedSpans(), kind).toHaveLength(0);
      }
      expect(read).toEqual(['a', 'b', 'c']);
      expect(closes).toBe(1);
      const span = onlySpan(exporter);
      expect(span.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE]).toBe(200);
      expect(span.attributes).not.toHaveProperty('tsgi.response.aborted');
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
    }
  });

  it('ends the span, marked tsgi.response.aborted, when the body is closed early', async () => {
    let cleanedUp = false;
    const app: Application = (_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      return (async function* () {
        try {
          for (let i = 0; i < 100; i++) yield encoder.encode(`${i}\n`);
        } finally {
          cleanedUp = true;
        }
      })();
    };
    const res = await createClient(traced(app)).get('/', { stream: true });
    for await (const _chunk of res.body) break;
    expect(cleanedUp).toBe(true);
    const span = onlySpan(exporter);
    expect(span.attributes['tsgi.response.aborted']).toBe(true);
    // A client that leaves (a closed event stream) is not the server's error.
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes).not.toHaveProperty(ATTR_ERROR_TYPE);
  });
});

describe('errors', () => {
  const boom: Application = () => {
    throw new TypeError('boom');
  };

  it('records an error the router answered with 500: exception event, status ERROR, error.type', async () => {
    const res = await createClient(traced(router({ '/fail': boom }))).get('/fail');
    expect(res.status).toBe(500);
    const span = onlySpan(exporter);
    expect(span.name).toBe('GET /fail');
    expect(span.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE]).toBe(500);
    expect(span.attributes[ATTR_ERROR_TYPE]).toBe('TypeError');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
    expect(span.events.map((event) => event.name)).toEqual(['exception']);
    expect(span.events[0]!.attributes).toMatchObject({
      [ATTR_EXCEPTION_TYPE]: 'TypeError',
      [ATTR_EXCEPTION_MESSAGE]: 'boom',
    });
  });

  it('records an error the app threw or rejected with, ends the span and rethrows it', async () => {
    for (const app of [
      boom,
      (async () => boom(undefined as never, undefined as never)) as Application,
    ]) {
      exporter.reset();
      const wrapped = traced(app);
      const environ = { REQUEST_METHOD: 'GET', REQUEST_URI: '/', 'tsgi.url_scheme': 'http' };
      await expect(async () => wrapped(environ as never, () => async () => {})).rejects.toThrow(
        'boom',
      );
      const span = onlySpan(exporter);
      expect(span.attributes[ATTR_ERROR_TYPE]).toBe('TypeError');
      expect(span.attributes).not.toHaveProperty(ATTR_HTTP_RESPONSE_STATUS_CODE);
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.events.map((event) => event.name)).toEqual(['exception']);
    }
  });

  it('records a body that fails while streaming as an error of a sent response', async () => {
    const app: Application = (_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      return (function* () {
        yield encoder.encode('partial');
        throw new RangeError('disk gone');
      })();
    };
    await expect(createClient(traced(app)).get('/')).rejects.toThrow('disk gone');
    const span = onlySpan(exporter);
    expect(span.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE]).toBe(200);
    expect(span.attributes[ATTR_ERROR_TYPE]).toBe('RangeError');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'disk gone' });
  });

  it('sets status ERROR with error.type = the code for a 5xx the app answered itself', async () => {
    const app: Application = (_environ, startResponse) => {
      startResponse('503 Service Unavailable', [['Content-Type', 'text/plain']]);
      return [encoder.encode('later')];
    };
    await createClient(traced(app)).get('/');
    const span = onlySpan(exporter);
    expect(span.attributes[ATTR_ERROR_TYPE]).toBe('503');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.events).toEqual([]);
  });

  it("keeps a 4xx's status unset, though a RequestBodyError was recorded as an event", async () => {
    const tooBig: Application = () => {
      throw new RequestBodyError(413, 'body too large');
    };
    expect((await createClient(traced(router({ '/up': tooBig }))).get('/up')).status).toBe(413);
    const span = onlySpan(exporter);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes).not.toHaveProperty(ATTR_ERROR_TYPE);
    expect(span.events.map((event) => event.name)).toEqual(['exception']);
  });
});
