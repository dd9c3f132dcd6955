import { connect } from 'node:net';
import { serve, type TsgiServer } from '@tsgi/node';
import { type Application, validate } from '@tsgi/spec';
import { afterEach, describe, expect, test } from 'vitest';
import { guarded, until, untilStalled } from '../../../tools/test-support/index.ts';
import { type FetchHandlerFunction, fromFetchHandler } from '../src/index.ts';
import { errorLog } from './support/error-log.ts';
import { rawExchange } from './support/raw.ts';

const running: TsgiServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close({ timeout: 1000 })));
});

/**
 * Serves `fromFetchHandler(handler)` with @tsgi/node on loopback, behind
 * validate() unless `validated` is false (its checking wrapper makes every
 * body chunked, so framing tests go without it).
 */
function serveHandler(handler: FetchHandlerFunction, validated = true) {
  return serveApp(fromFetchHandler(handler), validated);
}

/** Serves `app` with @tsgi/node on loopback, behind validate() unless told not to. */
async function serveApp(app: Application, validated = true) {
  const errors = errorLog();
  const server = await serve(validated ? validate(app) : app, {
    host: '127.0.0.1',
    port: 0,
    errors,
  });
  running.push(server);
  return { url: server.address.url, port: server.address.port!, errors };
}

describe('fromFetchHandler on @tsgi/node', () => {
  test('the Request: method, URL, headers and body from the environ', async () => {
    const server = await serveHandler(async (request) =>
      Response.json({
        method: request.method,
        url: request.url,
        cookie: request.headers.get('cookie'),
        type: request.headers.get('content-type'),
        body: await request.text(),
        isRequest: request instanceof Request,
      }),
    );
    const answer = await fetch(`${server.url}/a/b?c=d`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', cookie: 'x=1; y=2' },
      body: 'payload',
    });
    expect(await answer.json()).toEqual({
      method: 'POST',
      url: `${server.url}/a/b?c=d`,
      cookie: 'x=1; y=2',
      type: 'text/plain',
      body: 'payload',
      isRequest: true,
    });
  });

  test('the body readers read tsgi.input once; a second read or a clone after one fails', async () => {
    const server = await serveHandler(async (request) => {
      const path = new URL(request.url).pathname;
      if (path === '/form') {
        const form = await request.formData();
        return Response.json({ a: form.get('a'), used: request.bodyUsed });
      }
      if (path === '/stream') {
        let size = 0;
        for await (const chunk of request.body!) size += chunk.byteLength;
        return Response.json({ size, used: request.bodyUsed });
      }
      const first = await request.json();
      const again = await request.text().then(
        () => 'read twice',
        (error: Error) => error.name,
      );
      let clone = 'cloned';
      try {
        request.clone();
      } catch (error) {
        clone = (error as Error).name;
      }
      const blob = await request.blob().catch((error: Error) => error.name);
      return Response.json({ first, again, clone, blob, used: request.bodyUsed });
    });
    const post = (path: string, init: RequestInit) =>
      fetch(`${server.url}${path}`, { method: 'POST', ...init }).then((r) => r.json());
    expect(await post('/json', { body: '{"n":1}' })).toEqual({
      first: { n: 1 },
      again: 'TypeError',
      clone: 'TypeError',
      blob: 'TypeError',
      used: true,
    });
    expect(await post('/form', { body: new URLSearchParams({ a: 'b' }) })).toEqual({
      a: 'b',
      used: true,
    });
    expect(await post('/stream', { body: new Uint8Array(200_000) })).toEqual({
      size: 200_000,
      used: true,
    });
  });

  test('the headers: get() and has() read the environ; the rest is a real Headers', async () => {
    const server = await serveHandler((request) => {
      const headers = request.headers;
      const before = [headers.get('X-Test'), headers.has('content-type'), headers.get('x-none')];
      const copy = Object.fromEntries(new Headers(headers));
      headers.set('x-test', 'changed');
      return Response.json({
        before,
        after: headers.get('x-test'),
        copy: { type: copy['content-type'], test: copy['x-test'], host: copy.host },
        isHeaders: headers instanceof Headers,
      });
    });
    const answer = await fetch(server.url, {
      method: 'POST',
      headers: { 'x-test': '123', 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(await answer.json()).toEqual({
      before: ['123', true, null],
      after: 'changed',
      copy: { type: 'text/plain', test: '123', host: new URL(server.url).host },
      isHeaders: true,
    });
  });

  test('a stream that holds its whole body goes out with a Content-Length, else chunked', async () => {
    const server = await serveHandler((request) => {
      const slow = request.url.endsWith('/slow');
      return new Response(
        new ReadableStream({
          async pull(controller) {
            if (slow) await new Promise((resolve) => setImmediate(resolve));
            controller.enqueue(new TextEncoder().encode('whole'));
            controller.close();
          },
        }),
      );
    }, false);
    const framing = async (path: string) => {
      const { text: answer } = await rawExchange(
        server.port,
        `GET ${path} HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n`,
      );
      return /^content-length: 5$/im.test(answer)
        ? 'length'
        : /^transfer-encoding: chunked$/im.test(answer)
          ? 'chunked'
          : answer;
    };
    expect(await framing('/at-once')).toBe('length');
    expect(await framing('/slow')).toBe('chunked');
  });

  test('every Set-Cookie is its own header line; hop-by-hop fields are dropped', async () => {
    const server = await serveHandler(() => {
      const headers = new Headers([['content-type', 'text/plain']]);
      headers.append('set-cookie', 'a=1; Path=/');
      headers.append('set-cookie', 'b=2; Expires=Wed, 21 Oct 2015 07:28:00 GMT');
      headers.append('connection', 'close');
      return new Response('ok', { headers });
    });
    const { text: answer } = await rawExchange(
      server.port,
      'GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n',
    );
    const head = answer.slice(0, answer.indexOf('\r\n\r\n'));
    expect(head.match(/^set-cookie: .*$/gim)).toEqual([
      'set-cookie: a=1; Path=/',
      'set-cookie: b=2; Expires=Wed, 21 Oct 2015 07:28:00 GMT',
    ]);
    expect(answer.endsWith('\r\n2\r\nok\r\n0\r\n\r\n')).toBe(true); // chunked: validate() wraps the body
  });

  test('stripScriptName gives a mounted handler the path below its mount', async () => {
    const mounted = fromFetchHandler((r) => new Response(new URL(r.url).pathname), {
      stripScriptName: true,
    });
    const server = await serveApp((environ, startResponse) => {
      // A router mounting the handler at /hono moves that prefix into SCRIPT_NAME.
      environ.SCRIPT_NAME = '/hono';
      environ.PATH_INFO = environ.PATH_INFO.slice('/hono'.length);
      return mounted(environ, startResponse);
    });
    expect(await (await fetch(`${server.url}/hono/users/7`)).text()).toBe('/users/7');
  });

  test('the abort signal stays silent on a normal GET and POST', async () => {
    const aborted: boolean[] = [];
    const signals: AbortSignal[] = [];
    const server = await serveHandler(async (request) => {
      signals.push(request.signal);
      request.signal.addEventListener('abort', () => aborted.push(true));
      if (request.method === 'POST') await request.text();
      return new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('streamed'));
            controller.close();
          },
        }),
      );
    });
    expect(await (await fetch(server.url)).text()).toBe('streamed');
    expect(await (await fetch(server.url, { method: 'POST', body: 'x' })).text()).toBe('streamed');
    // Both responses are complete, and their bodies closed by the server by now.
    expect(signals).toHaveLength(2);
    expect(signals.map((s) => s.aborted)).toEqual([false, false]);
    expect(aborted).toEqual([]);
  });

  test('the abort signal fires when the client goes away mid-response', async () => {
    let aborted = false;
    let pulls = 0;
    const server = await serveHandler((request) => {
      request.signal.addEventListener('abort', () => {
        aborted = true;
      });
      return new Response(
        new ReadableStream({
          pull(controller) {
            pulls++;
            controller.enqueue(new Uint8Array(16 * 1024));
          },
        }),
      );
    });
    const socket = connect(server.port, '127.0.0.1');
    await guarded(
      async () => {
        socket.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
        await until(() => pulls > 2, { what: 'the body to start streaming' });
        socket.destroy();
        await until(() => aborted, { what: 'the request signal to abort' });
      },
      () => socket.destroy(),
    );
  });

  test('a client that stops reading holds the handler a few chunks ahead of the socket', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(1);
    let produced = 0;
    let cancelled = false;
    const server = await serveHandler(
      () =>
        new Response(
          new ReadableStream(
            {
              pull(controller) {
                // 2000 × 64 KiB = 125 MiB if nothing pushed back.
                if (produced === 2000) return controller.close();
                produced++;
                controller.enqueue(chunk);
              },
              cancel() {
                cancelled = true;
              },
            },
            { highWaterMark: 0 },
          ),
        ),
    );
    const socket = connect(server.port, '127.0.0.1');
    await guarded(
      async () => {
        socket.pause(); // never read
        socket.write('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
        await untilStalled(() => produced);
        // Loopback socket buffers hold a few MiB: far less than the 125 MiB a
        // bridge without backpressure would pull from the handler.
        expect(produced).toBeLessThan(300);
        socket.destroy();
        await until(() => cancelled, { what: "the handler's stream to be cancelled" });
        expect(produced).toBeLessThan(300);
      },
      () => socket.destroy(),
    );
  });

  test('an error in the body stream ends the response and frees the connection', async () => {
    const server = await serveHandler((request) =>
      request.url.endsWith('/fine')
        ? new Response('fine')
        : new Response(
            new ReadableStream({
              start(controller) {
                controller.enqueue(new TextEncoder().encode('partial'));
              },
              pull(controller) {
                controller.error(new Error('stream broke'));
              },
            }),
          ),
    );
    // The server cuts the response short (no last chunk) and closes the
    // keep-alive connection: rawExchange() resolves only once it is closed.
    const { text: answer } = await rawExchange(server.port, 'GET / HTTP/1.1\r\nHost: h\r\n\r\n');
    expect(answer.endsWith('0\r\n\r\n')).toBe(false);
    await until(() => server.errors.text().includes('stream broke'), {
      what: 'the error on tsgi.errors',
      details: () => server.errors.text(),
    });
    // And the server still serves.
    expect(await (await fetch(`${server.url}/fine`)).text()).toBe('fine');
  });

  test('a handler that throws or returns no Response is a 500, reported', async () => {
    const server = await serveHandler((request) => {
      if (request.url.endsWith('/throw')) throw new Error('handler failed');
      return 'nope' as unknown as Response;
    });
    expect((await fetch(`${server.url}/throw`)).status).toBe(500);
    expect((await fetch(`${server.url}/string`)).status).toBe(500);
    expect(server.errors.text()).toContain('handler failed');
    expect(server.errors.text()).toContain('the fetch handler returned string, not a Response');
  });
});
