import type { Application, Environ, HeaderList } from '@tsgi/spec';
import { createClient } from '@tsgi/test-client';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type FetchHandlerFunction, fromFetchHandler, toFetchHandler } from '../src/index.ts';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'QUERY', 'TRACE'];
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'QUERY']);
const STATUSES = [200, 201, 202, 203, 206, 400, 404, 418, 500, 503];
const token = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
const value = fc.stringMatching(/^[!-~]([ -~]{0,20}[!-~])?$/);
const cookie = fc
  .tuple(token, fc.stringMatching(/^[a-zA-Z0-9]{0,8}$/))
  .map(([n, v]) => `${n}=${v}`);

/** A request: method, path, headers (repeats and two or more Cookie lines), a body up to 1 MiB. */
const requests = fc.record({
  method: fc.constantFrom(...METHODS),
  path: fc.stringMatching(/^(\/[a-zA-Z0-9._~-]{1,6}){1,3}$/),
  query: fc.option(fc.stringMatching(/^[a-z0-9=&]{1,12}$/), { nil: undefined }),
  headers: fc.array(
    fc.tuple(
      token.map((t) => `x-${t}`),
      value,
    ),
    { maxLength: 6 },
  ),
  cookies: fc.array(cookie, { minLength: 2, maxLength: 4 }),
  setCookies: fc.array(cookie, { minLength: 2, maxLength: 3 }),
  status: fc.constantFrom(...STATUSES),
  body: fc.oneof(
    { weight: 4, arbitrary: fc.uint8Array({ maxLength: 2048 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 1 << 20 }).map(bigBody) },
  ),
});
type Sample = typeof requests extends fc.Arbitrary<infer T> ? T : never;

/** Bytes of every value, cheap to make at 1 MiB. */
function bigBody(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 131 + (i >> 8)) & 0xff;
  return bytes;
}

/**
 * The TSGI app under test: its status, Set-Cookie lines and a header with
 * the environ's CGI keys come from the request, and its body echoes the
 * request's, after a header block.
 */
const echoApp: Application = async (environ, startResponse) => {
  const body = await environ['tsgi.input'].read();
  const cgi: Record<string, string> = {};
  for (const key of Object.keys(environ).sort()) {
    const v = environ[key];
    if (typeof v === 'string') cgi[key] = v;
  }
  const headers: HeaderList = [
    ['Content-Type', 'application/octet-stream'],
    ['X-Environ', encodeURIComponent(JSON.stringify(cgi))],
    ['Content-Length', String(environ.REQUEST_METHOD === 'HEAD' ? 0 : body.byteLength)],
  ];
  for (const line of (environ.HTTP_X_SET_COOKIES ?? '').split(' ').filter(Boolean)) {
    headers.push(['Set-Cookie', line]);
  }
  startResponse(`${environ.HTTP_X_STATUS ?? '200'} Answered`, headers);
  return environ.REQUEST_METHOD === 'HEAD' ? [] : [body];
};

/** The same app behind both bridges; the peer travels as the handler's `env` (the environ). */
const bridged = fromFetchHandler(
  toFetchHandler(echoApp, {
    peer: (_request, env) => ({
      address: (env as Environ).REMOTE_ADDR,
      port: (env as Environ).REMOTE_PORT,
    }),
  }),
);

function headersOf(sample: Sample): Array<[string, string]> {
  return [
    ...sample.headers,
    ...sample.cookies.map((c): [string, string] => ['cookie', c]),
    ['x-status', String(sample.status)],
    ['x-set-cookies', sample.setCookies.join(' ')],
  ];
}

/** Header fields as sorted lower-case pairs: a `Headers` object sorts them. */
function normal(list: HeaderList): string[] {
  return list.map(([n, v]) => `${n.toLowerCase()}: ${v}`).sort();
}

describe('round trips through both bridges', () => {
  test('fromFetchHandler(toFetchHandler(app)) answers as app does, byte for byte', async () => {
    const direct = createClient(echoApp);
    const through = createClient(bridged);
    await fc.assert(
      fc.asyncProperty(requests, async (sample) => {
        const init = {
          headers: headersOf(sample),
          query: sample.query,
          body: BODY_METHODS.has(sample.method) ? sample.body : undefined,
        };
        const path = sample.query === undefined ? sample.path : `${sample.path}?${sample.query}`;
        const [a, b] = await Promise.all([
          direct.request(sample.method, path, init),
          through.request(sample.method, path, init),
        ]);
        expect(b.status).toBe(a.status);
        expect(normal(b.headerList)).toEqual(normal(a.headerList));
        expect(Buffer.from(await b.bytes()).equals(Buffer.from(await a.bytes()))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  test('toFetchHandler(fromFetchHandler(h)) answers as h does', async () => {
    /** A fetch handler that echoes its request the same way. */
    const handler: FetchHandlerFunction = async (request) => {
      const seen: string[] = [];
      for (const [name, v] of request.headers) {
        // Framing and Host are the runtime's; Cookie crumbs are compared one by one.
        if (name === 'host' || name === 'content-length' || name === 'transfer-encoding') continue;
        if (name === 'cookie') seen.push(...v.split(/[;,] /).map((c) => `cookie: ${c}`));
        else seen.push(`${name}: ${v}`);
      }
      const body =
        request.body === null ? new Uint8Array(0) : new Uint8Array(await request.arrayBuffer());
      const headers = new Headers([['x-seen', encodeURIComponent(JSON.stringify(seen.sort()))]]);
      for (const line of (request.headers.get('x-set-cookies') ?? '').split(' ').filter(Boolean)) {
        headers.append('set-cookie', line);
      }
      const status = Number(request.headers.get('x-status'));
      return new Response(request.method === 'HEAD' ? null : body, {
        status,
        statusText: 'Answered',
        headers,
      });
    };
    const through = toFetchHandler(fromFetchHandler(handler));
    await fc.assert(
      fc.asyncProperty(requests, async (sample) => {
        if (sample.method === 'TRACE') return; // fetch refuses to make such a Request
        const url = `http://example.test${sample.path}${sample.query === undefined ? '' : `?${sample.query}`}`;
        const make = () => {
          const headers = new Headers();
          for (const [n, v] of headersOf(sample)) headers.append(n, v);
          return new Request(url, {
            method: sample.method,
            headers,
            body: BODY_METHODS.has(sample.method) ? sample.body : undefined,
          });
        };
        const [a, b] = await Promise.all([handler(make()), through(make())]);
        expect(b.status).toBe(a.status);
        expect(b.statusText).toBe(a.statusText);
        const length = b.headers.get('content-length');
        b.headers.delete('content-length'); // the bridge states the length of a byte body
        expect([...b.headers]).toEqual([...a.headers]);
        expect(b.headers.getSetCookie()).toEqual(a.headers.getSetCookie());
        const [bytesA, bytesB] = await Promise.all([a.arrayBuffer(), b.arrayBuffer()]);
        expect(Buffer.from(bytesB).equals(Buffer.from(bytesA))).toBe(true);
        if (length !== null && sample.method !== 'HEAD')
          expect(Number(length)).toBe(bytesB.byteLength);
      }),
      { numRuns: 60 },
    );
  });

  test('a TRACE request reaches the handler with its method', async () => {
    const app = fromFetchHandler(
      async (request) => new Response(`${request.method} ${(await request.text()).length}`),
    );
    const response = await createClient(app).request('TRACE', '/x');
    expect(await response.text()).toBe('TRACE 0');
  });
});
