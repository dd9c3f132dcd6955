import type { Application } from '@tsgi/spec';
import { BodyTooLargeError, jsonResponse, RequestBodyError } from '@tsgi/spec';
import { describe, expect, test } from 'vitest';
import { until } from '../../../tools/test-support/index.ts';
import type { ClientOptions, TestClient } from '../src/index.ts';
import { bytes, deferred, echoApp, mirrorApp, readSizesApp, routes, textResponse } from './apps.ts';

/** How the shared suite gets a client for an app: in-process, or through a live server. */
export interface Harness {
  mode: 'in-process' | 'http';
  client(app: Application, options?: ClientOptions): Promise<TestClient>;
}

type Echo = { environ: Record<string, string>; body: string };

/** Streams `0\n` … `9999\n`, one line a millisecond (bounded), and calls `onClose` from its `close()`. */
function slowCounter(onClose: () => void): Application {
  return (_environ, startResponse) => {
    startResponse('200 OK', [['Content-Type', 'text/plain']]);
    async function* lines() {
      for (let i = 0; i < 10_000; i++) {
        yield bytes(`${i}\n`);
        await new Promise((r) => setTimeout(r, 1));
      }
    }
    return Object.assign(lines(), { close: onClose });
  };
}

/** Every feature that both modes share, run once per harness. */
export function clientSuite(harness: Harness): void {
  const { mode } = harness;

  describe(`requests (${mode})`, () => {
    test('method, path, query and headers reach the app', async () => {
      const client = await harness.client(echoApp);
      const response = await client.get('/items/caf%C3%A9?sort=asc', {
        query: { tag: ['a', 'b'], page: 2 },
        headers: { 'X-Trace': 'abc', Accept: 'application/json' },
      });
      expect(response.status).toBe(200);
      const { environ } = (await response.json()) as Echo;
      expect(environ.REQUEST_METHOD).toBe('GET');
      expect(environ.PATH_INFO).toBe('/items/café');
      expect(environ.QUERY_STRING).toBe('sort=asc&tag=a&tag=b&page=2');
      expect(environ.REQUEST_URI).toBe('/items/caf%C3%A9?sort=asc&tag=a&tag=b&page=2');
      expect(environ.HTTP_X_TRACE).toBe('abc');
      expect(environ.HTTP_ACCEPT).toBe('application/json');
      expect(environ.CONTENT_LENGTH).toBeUndefined();
      expect(environ.CONTENT_TYPE).toBeUndefined();
      expect(environ['tsgi.url_scheme']).toBe('http');
    });

    test('non-ASCII and spaces in the path are percent-encoded like a real client', async () => {
      const client = await harness.client(echoApp);
      const { environ } = (await (await client.get('/a b/é')).json()) as Echo;
      expect(environ.REQUEST_URI).toBe('/a%20b/%C3%A9');
      expect(environ.PATH_INFO).toBe('/a b/é');
    });

    test('repeated headers are joined with ", "', async () => {
      const client = await harness.client(echoApp);
      const response = await client.get('/', {
        headers: [
          ['X-Tag', 'one'],
          ['X-Tag', 'two'],
        ],
      });
      const { environ } = (await response.json()) as Echo;
      expect(environ.HTTP_X_TAG).toBe('one, two');
    });

    test('every method reaches the app', async () => {
      const client = await harness.client(echoApp);
      for (const method of ['post', 'put', 'patch', 'delete', 'options'] as const) {
        const response = await client[method]('/m');
        const { environ } = (await response.json()) as Echo;
        expect(environ.REQUEST_METHOD).toBe(method.toUpperCase());
      }
      const custom = await client.request('PROPFIND', '/m');
      expect(((await custom.json()) as Echo).environ.REQUEST_METHOD).toBe('PROPFIND');
      const lower = await client.request('post', '/m');
      expect(((await lower.json()) as Echo).environ.REQUEST_METHOD).toBe('POST');
    });

    test('default headers go with every request; a request header of the same name wins', async () => {
      const client = await harness.client(echoApp, {
        headers: { Authorization: 'Bearer default', 'X-Client': 'suite' },
      });
      const first = ((await (await client.get('/')).json()) as Echo).environ;
      expect(first.HTTP_AUTHORIZATION).toBe('Bearer default');
      expect(first.HTTP_X_CLIENT).toBe('suite');
      const second = (
        (await (
          await client.get('/', { headers: { authorization: 'Bearer mine' } })
        ).json()) as Echo
      ).environ;
      expect(second.HTTP_AUTHORIZATION).toBe('Bearer mine');
      expect(second.HTTP_X_CLIENT).toBe('suite');
    });

    test('a header a real client could not send is refused with a clear error', async () => {
      const client = await harness.client(echoApp);
      await expect(client.get('/', { headers: { 'X Bad': '1' } })).rejects.toThrow(
        /header name "X Bad" is not an HTTP token/,
      );
      await expect(client.get('/', { headers: { 'X-Split': 'a\r\nInjected: 1' } })).rejects.toThrow(
        /X-Split contains CR, LF or NUL/,
      );
    });

    test('a path that does not start with "/" is refused with a clear error', async () => {
      const client = await harness.client(echoApp);
      await expect(client.get('items')).rejects.toThrow(/must start with "\/"/);
    });
  });

  describe(`request bodies (${mode})`, () => {
    test('json sets Content-Type and Content-Length', async () => {
      const client = await harness.client(echoApp);
      const response = await client.post('/items', { json: { name: 'pen', tags: ['é'] } });
      const { environ, body } = (await response.json()) as Echo;
      expect(environ.CONTENT_TYPE).toBe('application/json');
      expect(environ.CONTENT_LENGTH).toBe(String(Buffer.byteLength(body)));
      expect(JSON.parse(body)).toEqual({ name: 'pen', tags: ['é'] });
    });

    test('form is urlencoded', async () => {
      const client = await harness.client(echoApp);
      const response = await client.post('/login', {
        form: { user: 'ann lee', roles: ['a', 'b'] },
      });
      const { environ, body } = (await response.json()) as Echo;
      expect(environ.CONTENT_TYPE).toBe('application/x-www-form-urlencoded');
      expect(body).toBe('user=ann+lee&roles=a&roles=b');
    });

    test('multipart parses back into the same fields and files', async () => {
      const client = await harness.client(mirrorApp);
      const response = await client.post('/upload', {
        multipart: {
          title: 'report',
          note: ['one', 'two'],
          file: { data: 'a,b\n1,2\n', filename: 'data.csv', contentType: 'text/csv' },
          blob: new File([bytes('raw')], 'raw.bin', { type: 'application/octet-stream' }),
        },
      });
      const contentType = response.headers.get('content-type')!;
      expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
      const form = await new Response(await response.bytes(), {
        headers: { 'content-type': contentType },
      }).formData();
      expect(form.get('title')).toBe('report');
      expect(form.getAll('note')).toEqual(['one', 'two']);
      const file = form.get('file') as File;
      expect(file.name).toBe('data.csv');
      expect(file.type).toBe('text/csv');
      expect(await file.text()).toBe('a,b\n1,2\n');
      const blob = form.get('blob') as File;
      expect(blob.name).toBe('raw.bin');
      expect(await blob.text()).toBe('raw');
    });

    test('raw bytes and strings', async () => {
      const client = await harness.client(mirrorApp);
      const raw = await client.put('/raw', {
        body: new Uint8Array([0, 1, 2, 255]),
        headers: { 'content-type': 'application/octet-stream' },
      });
      expect([...(await raw.bytes())]).toEqual([0, 1, 2, 255]);
      const text = await client.post('/text', { body: 'héllo' });
      expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await text.text()).toBe('héllo');
    });

    test('a streamed body reaches the app without Content-Length', async () => {
      const client = await harness.client(echoApp);
      async function* chunks() {
        yield bytes('hello ');
        await new Promise((r) => setTimeout(r, 5));
        yield bytes('streamed ');
        yield bytes('world');
      }
      const response = await client.post('/stream', { body: chunks() });
      const { environ, body } = (await response.json()) as Echo;
      expect(body).toBe('hello streamed world');
      expect(environ.CONTENT_LENGTH).toBeUndefined();
      expect(environ.HTTP_TRANSFER_ENCODING).toBe('chunked');
    });

    test('read(size) never returns more than size, and the input ends with an empty read', async () => {
      const client = await harness.client(readSizesApp);
      const text = 'abcdefghij'.repeat(3);
      const fixed = await client.post('/?size=4', { body: text });
      const result = (await fixed.json()) as { sizes: number[]; text: string; afterEnd: number };
      expect(result.text).toBe(text);
      expect(result.afterEnd).toBe(0);
      for (const size of result.sizes) expect(size).toBeGreaterThanOrEqual(1);
      for (const size of result.sizes) expect(size).toBeLessThanOrEqual(4);

      async function* pieces() {
        yield bytes('abcdefg');
        yield bytes('hij');
      }
      const streamed = await client.post('/?size=3', { body: pieces() });
      const again = (await streamed.json()) as { sizes: number[]; text: string };
      expect(again.text).toBe('abcdefghij');
      for (const size of again.sizes) expect(size).toBeLessThanOrEqual(3);
    });

    test('two body kinds at once are refused', async () => {
      const client = await harness.client(echoApp);
      await expect(client.post('/', { json: {}, body: 'x' })).rejects.toThrow(/at most one of/);
    });

    test('a Content-Length that does not match the body is refused before sending', async () => {
      const client = await harness.client(echoApp);
      await expect(
        client.post('/', { body: 'abc', headers: { 'content-length': '10' } }),
      ).rejects.toThrow(/Content-Length: 10 but its body has 3 bytes/);
    });
  });

  describe(`responses (${mode})`, () => {
    test('status, statusText, case-insensitive headers, repeated Set-Cookie', async () => {
      const app = textResponse(201, 'made', [
        ['X-Multi', 'a'],
        ['Set-Cookie', 'a=1'],
        ['Set-Cookie', 'b=2'],
      ]);
      const client = await harness.client(app, { cookies: false });
      const response = await client.post('/');
      expect(response.status).toBe(201);
      expect(response.ok).toBe(true);
      expect(response.statusText).toBe('Created');
      expect(response.headers.get('x-multi')).toBe('a');
      expect(response.headers.get('CONTENT-TYPE')).toBe('text/plain; charset=utf-8');
      expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
      expect(await response.text()).toBe('made');
      expect(await response.text()).toBe('made');
      expect(new TextDecoder().decode(await response.bytes())).toBe('made');
    });

    test('json() on a body that is not JSON names the status and quotes the body', async () => {
      const client = await harness.client(textResponse(502, 'upstream down'));
      const response = await client.get('/');
      expect(response.ok).toBe(false);
      await expect(response.json()).rejects.toThrow(/status 502.*"upstream down"/);
    });

    test('HEAD drops the body but keeps the headers, like a server', async () => {
      // validate() would rightly reject body bytes for HEAD (body.3); turn it off to see the client drop them.
      const client = await harness.client(textResponse(200, 'twelve bytes'), { validate: false });
      const response = await client.head('/');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-length')).toBe('12');
      expect((await response.bytes()).byteLength).toBe(0);
    });

    test('the body is read eagerly and close() has run when the response resolves', async () => {
      let closed = 0;
      const app: Application = (_environ, startResponse) => {
        startResponse('200 OK', [['Content-Type', 'text/plain']]);
        function* chunks() {
          yield bytes('a');
          yield bytes('b');
        }
        return Object.assign(chunks(), {
          close() {
            closed++;
          },
        });
      };
      const client = await harness.client(app);
      const response = await client.get('/');
      // In-process, close() has run before the response resolves; over HTTP the server
      // calls it once the body is sent, which can trail the response a little.
      if (mode === 'in-process') expect(closed).toBe(1);
      else await until(() => closed === 1, { what: 'close() after the first body was sent' });
      expect(await response.text()).toBe('ab');
      await client.get('/'); // never read: still closed
      if (mode === 'in-process') expect(closed).toBe(2);
      else await until(() => closed === 2, { what: 'close() after the second body was sent' });
    });

    test('{ stream: true } hands out chunks as the app produces them', async () => {
      const gate = deferred();
      let closed = false;
      const app: Application = (_environ, startResponse) => {
        startResponse('200 OK', [['Content-Type', 'text/plain']]);
        async function* chunks() {
          yield bytes('first');
          await gate.promise;
          yield bytes('second');
        }
        return Object.assign(chunks(), {
          close() {
            closed = true;
          },
        });
      };
      const client = await harness.client(app);
      const response = await client.get('/', { stream: true });
      expect(response.status).toBe(200);
      const seen: string[] = [];
      for await (const chunk of response.body) {
        seen.push(new TextDecoder().decode(chunk));
        // The second chunk cannot exist before this line runs: the body really streams.
        if (seen.join('') === 'first') gate.resolve();
      }
      expect(seen.join('')).toBe('firstsecond');
      await until(() => closed, { what: 'close() of the streamed body' });
      expect(await response.text()).toBe('firstsecond');
    });

    test('a streamed body that is never read is closed by client.close()', async () => {
      let closed = false;
      const app = slowCounter(() => {
        closed = true;
      });
      const client = await harness.client(app);
      const response = await client.get('/', { stream: true });
      expect(response.streaming).toBe(true);
      await client.close();
      expect(response.streaming).toBe(true);
      await until(() => closed, { what: 'close() of the unread body after client.close()' });
    });

    test('breaking out of a streamed body closes it', async () => {
      let closed = false;
      const app = slowCounter(() => {
        closed = true;
      });
      const client = await harness.client(app);
      const response = await client.get('/', { stream: true });
      for await (const _chunk of response.body) break;
      await until(() => closed, { what: 'close() of the body broken out of' });
    });
  });

  describe(`request errors (${mode})`, () => {
    test('a RequestBodyError becomes its status with the message as text, like a server answers', async () => {
      const app = routes({
        '/items': async (environ) => {
          const text = new TextDecoder().decode(await environ['tsgi.input'].read());
          if (!text.includes('name')) throw new RequestBodyError(422, 'the item needs a name');
          throw new Error('unreachable in this test');
        },
        '/upload': (environ, startResponse) => {
          startResponse('200 OK', []);
          // The status is set, but no body bytes went out yet: a server can still answer 413.
          return (async function* () {
            const body = await environ['tsgi.input'].read();
            if (body.byteLength > 0) throw new BodyTooLargeError(1024);
            yield body;
          })();
        },
      });
      const client = await harness.client(app);
      const response = await client.post('/items', { json: {} });
      expect(response.status).toBe(422);
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await response.text()).toBe('the item needs a name\n');
      const large = await client.post('/upload', { body: 'x' });
      expect(large.status).toBe(413);
      expect(await large.text()).toBe('request body is larger than the limit of 1024 bytes\n');
    });
  });

  describe(`cookies (${mode})`, () => {
    const cookieApp = routes({
      '/login': textResponse(200, 'in', [
        ['Set-Cookie', 'session=abc; Path=/; HttpOnly'],
        ['Set-Cookie', 'theme=dark'],
        ['Set-Cookie', 'admin=yes; Path=/admin'],
      ]),
      '/logout': textResponse(200, 'out', [
        ['Set-Cookie', 'session=; Max-Age=0; Path=/'],
        ['Set-Cookie', 'theme=; Expires=Thu, 01 Jan 1970 00:00:00 GMT'],
      ]),
      '/foreign': textResponse(200, 'x', [['Set-Cookie', 'evil=1; Domain=example.com']]),
      '/whoami': echoApp,
      '/admin/whoami': echoApp,
    });

    test('cookies are stored and sent back, scoped by Path', async () => {
      const client = await harness.client(cookieApp);
      await client.post('/login');
      const plain = ((await (await client.get('/whoami')).json()) as Echo).environ;
      expect(plain.HTTP_COOKIE).toBe('session=abc; theme=dark');
      const admin = ((await (await client.get('/admin/whoami')).json()) as Echo).environ;
      expect(admin.HTTP_COOKIE).toBe('admin=yes; session=abc; theme=dark');
      expect(client.cookies?.get('session')).toBe('abc');
    });

    test('Max-Age=0 and a past Expires delete cookies', async () => {
      const client = await harness.client(cookieApp);
      await client.post('/login');
      await client.post('/logout');
      const environ = ((await (await client.get('/whoami')).json()) as Echo).environ;
      expect(environ.HTTP_COOKIE).toBeUndefined();
    });

    test('a cookie for another domain is refused', async () => {
      const client = await harness.client(cookieApp);
      await client.get('/foreign');
      expect(client.cookies?.all()).toEqual([]);
    });

    test('a Cookie header of the request is merged with the jar', async () => {
      const client = await harness.client(cookieApp);
      client.cookies?.set('jar', '1');
      const environ = (
        (await (await client.get('/whoami', { headers: { Cookie: 'mine=2' } })).json()) as Echo
      ).environ;
      expect(environ.HTTP_COOKIE).toBe('mine=2; jar=1');
    });

    test('{ cookies: false } keeps no jar', async () => {
      const client = await harness.client(cookieApp, { cookies: false });
      await client.post('/login');
      const environ = ((await (await client.get('/whoami')).json()) as Echo).environ;
      expect(environ.HTTP_COOKIE).toBeUndefined();
      expect(client.cookies).toBeUndefined();
    });
  });

  describe(`redirects (${mode})`, () => {
    const redirectApp = routes({
      '/old': textResponse(301, '', [['Location', '/new']]),
      '/new': echoApp,
      '/submit': textResponse(303, '', [
        ['Location', '/done?ok=1'],
        ['Set-Cookie', 'flash=saved'],
      ]),
      '/done': echoApp,
      '/temp': textResponse(307, '', [['Location', '/new']]),
      '/loop': textResponse(302, '', [['Location', '/loop']]),
    });

    test('redirects are returned as they are by default', async () => {
      const client = await harness.client(redirectApp);
      const response = await client.get('/old');
      expect(response.status).toBe(301);
      expect(response.headers.get('location')).toBe('/new');
      expect(response.redirected).toBe(false);
    });

    test('303 after POST becomes a GET without body, cookies set on the way are sent', async () => {
      const client = await harness.client(redirectApp, { followRedirects: true });
      const response = await client.post('/submit', { json: { a: 1 } });
      expect(response.status).toBe(200);
      expect(response.redirected).toBe(true);
      expect(response.url).toMatch(/\/done\?ok=1$/);
      const { environ, body } = (await response.json()) as Echo;
      expect(environ.REQUEST_METHOD).toBe('GET');
      expect(environ.QUERY_STRING).toBe('ok=1');
      expect(environ.CONTENT_TYPE).toBeUndefined();
      expect(body).toBe('');
      expect(environ.HTTP_COOKIE).toBe('flash=saved');
    });

    test('307 keeps the method and the body', async () => {
      const client = await harness.client(redirectApp, { followRedirects: 3 });
      const response = await client.put('/temp', { json: { keep: true } });
      const { environ, body } = (await response.json()) as Echo;
      expect(environ.REQUEST_METHOD).toBe('PUT');
      expect(environ.PATH_INFO).toBe('/new');
      expect(JSON.parse(body)).toEqual({ keep: true });
    });

    test('a redirect loop stops at the limit with an error naming it', async () => {
      const client = await harness.client(redirectApp, { followRedirects: 4 });
      await expect(client.get('/loop')).rejects.toThrow(/stopped after 4 redirects/);
    });
  });

  describe(`a JSON service (${mode})`, () => {
    test('the tutorial-style /items flow', async () => {
      const items = [{ id: 1, name: 'apple' }];
      const app = routes({
        '/health': (_e, sr) => jsonResponse(sr, 200, { status: 'ok' }),
        '/items': async (environ, sr) => {
          if (environ.REQUEST_METHOD === 'POST') {
            const item = JSON.parse(new TextDecoder().decode(await environ['tsgi.input'].read()));
            items.push({ id: items.length + 1, ...item });
            return jsonResponse(sr, 201, items.at(-1));
          }
          return jsonResponse(sr, 200, items);
        },
      });
      const client = await harness.client(app);
      expect(await (await client.get('/health')).json()).toEqual({ status: 'ok' });
      const created = await client.post('/items', { json: { name: 'pear' } });
      expect(created.status).toBe(201);
      expect(await created.json()).toEqual({ id: 2, name: 'pear' });
      expect(await (await client.get('/items')).json()).toHaveLength(2);
      expect((await client.get('/nope')).status).toBe(404);
    });
  });
}
