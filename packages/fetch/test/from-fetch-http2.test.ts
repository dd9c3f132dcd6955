// fromFetchHandler on HTTP/2, where a body needs no Content-Length and has no
// Transfer-Encoding [env.24]: in-process through toFetchHandler with
// `protocol: 'HTTP/2.0'`, and over real sockets on @tsgi/node's cleartext
// HTTP/2 (h2c by prior knowledge) with node:http2 as the client. Every app runs
// behind validate(), so the environ is checked against SPEC.md too.
import http2 from 'node:http2';
import { serve, type TsgiServer } from '@tsgi/node';
import { validate } from '@tsgi/spec';
import { afterEach, describe, expect, test } from 'vitest';
import { BOUNDS, bound } from '../../../tools/test-support/index.ts';
import { type FetchHandlerFunction, fromFetchHandler, toFetchHandler } from '../src/index.ts';
import { errorLog } from './support/error-log.ts';
import { rawExchange } from './support/raw.ts';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** What a handler saw of its request's body: by `text()` (the default) or by `request.body`. */
const bodyView: FetchHandlerFunction = async (request) => {
  const way = new URL(request.url).pathname;
  const length = request.headers.get('content-length');
  if (way === '/stream') {
    const stream = request.body;
    let size = 0;
    if (stream !== null) for await (const chunk of stream) size += chunk.byteLength;
    return Response.json({ way, length, isNull: stream === null, size });
  }
  const isNull = request.body === null;
  const body = await request.text();
  return Response.json({ way, length, isNull, size: body.length, body });
};

describe('fromFetchHandler in process, environ from toFetchHandler with protocol HTTP/2.0', () => {
  const handler = toFetchHandler(validate(fromFetchHandler(bodyView)), {
    protocol: 'HTTP/2.0',
    errors: errorLog(),
  });
  const streamed = (path: string, ...parts: string[]) =>
    new Request(`http://h2.example${path}`, {
      method: 'POST',
      body: new ReadableStream<Uint8Array>({
        start(controller) {
          for (const part of parts) controller.enqueue(text(part));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);

  test('a POST without Content-Length reaches the handler whole, by text() and by body', async () => {
    const byText = await (await handler(streamed('/text', 'ab', 'cd', 'ef'))).json();
    expect(byText).toEqual({ way: '/text', length: null, isNull: false, size: 6, body: 'abcdef' });
    const byStream = await (await handler(streamed('/stream', 'ab', 'cd', 'ef'))).json();
    expect(byStream).toEqual({ way: '/stream', length: null, isNull: false, size: 6 });
  });

  test('a POST with no bytes at all gets a body that turns out empty; a GET has none', async () => {
    const empty = await (await handler(streamed('/text'))).json();
    expect(empty).toEqual({ way: '/text', length: null, isNull: false, size: 0, body: '' });
    const get = await (await handler(new Request('http://h2.example/stream'))).json();
    expect(get).toEqual({ way: '/stream', length: null, isNull: true, size: 0 });
  });
});

const running: TsgiServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close({ timeout: 1000 })));
});

/** Serves `validate(fromFetchHandler(handler))` on @tsgi/node on loopback: cleartext HTTP/2 only, or HTTP/1.1. */
async function serveH2c(
  handler: FetchHandlerFunction,
  httpProtocols: ['h2c'] | ['http/1.1'] = ['h2c'],
) {
  const errors = errorLog();
  const server = await serve(validate(fromFetchHandler(handler)), {
    host: '127.0.0.1',
    port: 0,
    httpProtocols,
    errors,
  });
  running.push(server);
  const port = server.address.port!;
  return { url: `http://127.0.0.1:${port}`, port, errors };
}

interface H2Answer {
  status: number;
  body: string;
}

/**
 * One request on a fresh node:http2 session: `chunks` are written one by one
 * with no `content-length` (node:http2 sends none unless told), then the
 * stream ends; `undefined` sends a request that ends with its headers.
 * Bounded by `BOUNDS.process`.
 */
function h2Request(
  url: string,
  method: string,
  path: string,
  chunks: readonly Uint8Array[] | undefined,
): Promise<H2Answer> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(url);
    const fail = (error: Error) => {
      session.destroy();
      reject(error);
    };
    session.on('error', fail);
    session.setTimeout(bound(BOUNDS.process), () => fail(new Error(`no answer to ${path}`)));
    const stream = session.request(
      { ':method': method, ':path': path, 'content-type': 'application/octet-stream' },
      { endStream: chunks === undefined },
    );
    let status = 0;
    let body = '';
    stream.setEncoding('utf8');
    stream.on('response', (headers) => {
      status = Number(headers[':status']);
    });
    stream.on('data', (chunk: string) => {
      body += chunk;
    });
    stream.on('error', fail);
    stream.on('end', () => {
      session.close();
      resolve({ status, body });
    });
    if (chunks !== undefined) {
      for (const chunk of chunks) stream.write(chunk);
      stream.end();
    }
  });
}

describe('fromFetchHandler on @tsgi/node over h2c (real sockets)', () => {
  const chunks = Array.from({ length: 8 }, (_, i) => new Uint8Array(30_000).fill(97 + i));
  const total = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  const expected = new TextDecoder().decode(Buffer.concat(chunks));

  test('a POST written in chunks without content-length reaches the handler whole', async () => {
    const server = await serveH2c(bodyView);
    const byText = await h2Request(server.url, 'POST', '/text', chunks);
    expect(byText.status, byText.body).toBe(200);
    const seen = JSON.parse(byText.body) as { body: string };
    expect({ ...seen, body: seen.body === expected }).toEqual({
      way: '/text',
      length: null,
      isNull: false,
      size: total,
      body: true,
    });
    const byStream = await h2Request(server.url, 'PUT', '/stream', chunks);
    expect(byStream.status, byStream.body).toBe(200);
    expect(JSON.parse(byStream.body)).toEqual({
      way: '/stream',
      length: null,
      isNull: false,
      size: total,
    });
    expect(server.errors.text()).toBe('');
  });

  test('the environ keeps [env.24] under validate(); an empty POST and a GET still work', async () => {
    const server = await serveH2c(async (request, env) => {
      const environ = env as Record<string, unknown>;
      const body = await request.text();
      return Response.json({
        protocol: environ.SERVER_PROTOCOL,
        transferEncoding: environ.HTTP_TRANSFER_ENCODING ?? null,
        contentLength: environ.CONTENT_LENGTH ?? null,
        body,
      });
    });
    const post = await h2Request(server.url, 'POST', '/', [text('hello '), text('h2')]);
    expect(post.status, post.body).toBe(200);
    expect(JSON.parse(post.body)).toEqual({
      protocol: 'HTTP/2.0',
      transferEncoding: null,
      contentLength: null,
      body: 'hello h2',
    });
    const empty = await h2Request(server.url, 'POST', '/', undefined);
    expect([empty.status, JSON.parse(empty.body).body]).toEqual([200, '']);
    const get = await h2Request(server.url, 'GET', '/', undefined);
    expect([get.status, JSON.parse(get.body).body]).toEqual([200, '']);
    expect(server.errors.text()).toBe('');
  });

  test('HTTP/1.1 is unchanged: a POST with neither a length nor chunked framing has no body', async () => {
    const server = await serveH2c(bodyView, ['http/1.1']);
    const { text: answer, reset } = await rawExchange(
      server.port,
      'POST /stream HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
    );
    expect(reset).toBe(false);
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    // validate() makes the body chunked: the JSON is the one chunk.
    expect(answer).toContain('{"way":"/stream","length":null,"isNull":true,"size":0}');
  });
});
