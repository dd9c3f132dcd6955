import { type Application, type Environ, jsonResponse, validate } from '@tsgi/spec';
import { createClient } from '@tsgi/test-client';
import { describe, expect, it } from 'vitest';
import { createRouter, params, type RouteInfo, router } from '../src/index.js';

/** A handler that answers with what it saw; wrapped in validate() so the router's environ is checked too. */
const echo = (name: string): Application =>
  validate((environ, startResponse) =>
    jsonResponse(startResponse, 200, {
      name,
      method: environ.REQUEST_METHOD,
      scriptName: environ.SCRIPT_NAME,
      pathInfo: environ.PATH_INFO,
      route: environ['tsgi.route'] as RouteInfo | undefined,
      params: params(environ),
    }),
  );

type Echo = {
  name: string;
  method: string;
  scriptName: string;
  pathInfo: string;
  route?: RouteInfo;
  params: Record<string, string>;
};

describe('the declarative table', () => {
  const app = router({
    '/health': echo('health'),
    '/items': { GET: echo('list'), POST: echo('create') },
    '/items/:id': { GET: echo('get'), DELETE: echo('delete') },
    '/files/*path': { GET: echo('files') },
  });
  const client = createClient(app);

  it('routes by path and method, a bare application taking every method', async () => {
    expect(((await (await client.get('/health')).json()) as Echo).name).toBe('health');
    expect(((await (await client.post('/health', { json: {} })).json()) as Echo).name).toBe(
      'health',
    );
    expect(((await (await client.post('/items', { json: { a: 1 } })).json()) as Echo).name).toBe(
      'create',
    );
  });

  it('sets tsgi.route and params() for the handler', async () => {
    const res = await client.get('/items/42');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      name: 'get',
      route: { pattern: '/items/:id', params: { id: '42' } },
      params: { id: '42' },
    });
    expect(((await (await client.get('/files/a/b.txt')).json()) as Echo).params).toEqual({
      path: 'a/b.txt',
    });
  });

  it('answers an unknown path with a JSON 404', async () => {
    const res = await client.get('/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({ error: 'no route matches GET /nope' });
  });

  it('answers a known path with another method with 405 and Allow', async () => {
    const res = await client.request('PUT', '/items/1');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, DELETE, OPTIONS');
    expect(await res.json()).toEqual({
      error: 'method PUT is not allowed for /items/1',
      allow: ['GET', 'HEAD', 'DELETE', 'OPTIONS'],
    });
  });

  it('lets HEAD use the GET route', async () => {
    const res = await client.head('/items/7');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).not.toBeNull();
    expect(await res.text()).toBe('');
  });

  it('sends no body bytes for HEAD on its own 404 and 405', async () => {
    const missing = await client.head('/nope');
    expect([missing.status, await missing.text()]).toEqual([404, '']);
    const postOnly = createClient(createRouter().post('/p', echo('p')));
    const wrong = await postOnly.head('/p');
    expect([wrong.status, wrong.headers.get('allow'), await wrong.text()]).toEqual([
      405,
      'POST, OPTIONS',
      '',
    ]);
  });

  it('answers OPTIONS with 204 and Allow', async () => {
    const res = await client.options('/items');
    expect(res.status).toBe(204);
    expect(res.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
    expect(await res.text()).toBe('');
    expect((await client.options('/nope')).status).toBe(404);
  });

  it('takes ALL as a key for every method', async () => {
    const all = createClient(router({ '/x': { ALL: echo('all'), GET: echo('get') } }));
    expect(((await (await all.get('/x')).json()) as Echo).name).toBe('get');
    expect(((await (await all.request('PUT', '/x')).json()) as Echo).name).toBe('all');
  });

  it('answers OPTIONS * with every method the router has', async () => {
    const res = await client.options('*');
    expect(res.status).toBe(204);
    expect(res.headers.get('allow')).toBe('GET, HEAD, POST, DELETE, OPTIONS');
  });

  it('rejects lower-case method keys and non-applications', () => {
    expect(() => router({ '/x': { get: echo('x') } })).toThrow(
      'route /x: method "get" must be upper-case',
    );
    expect(() => router({ '/x': 42 as unknown as Application })).toThrow(/needs an application/);
    expect(() => createRouter().get('/x', 'nope' as unknown as Application)).toThrow(
      'route GET /x needs a TSGI application (a function), got string',
    );
  });

  it('names both routes when they conflict', () => {
    expect(() => router({ '/items/:id': echo('a'), '/items/:key': echo('b') })).toThrow(
      'route ALL /items/:key conflicts with ALL /items/:id',
    );
  });
});

describe('the builder form', () => {
  it('uses explicit HEAD and OPTIONS handlers when they exist', async () => {
    const app = createRouter()
      .get('/r', echo('get'))
      .head('/r', (_environ, startResponse) => {
        startResponse('200 OK', [['X-Handler', 'head']]);
        return [];
      })
      .options('/r', echo('options'))
      .all('/any', echo('any'));
    const client = createClient(app);
    const head = await client.head('/r');
    expect(head.status).toBe(200);
    expect(head.headers.get('x-handler')).toBe('head');
    expect(((await (await client.options('/r')).json()) as Echo).name).toBe('options');
    // A route for every method also answers OPTIONS itself.
    expect(((await (await client.options('/any')).json()) as Echo).name).toBe('any');
    expect(((await (await client.request('PURGE', '/any')).json()) as Echo).method).toBe('PURGE');
  });

  it('prefers the GET route over a route for every method for HEAD', async () => {
    const seen: string[] = [];
    const spy =
      (name: string): Application =>
      (_environ, startResponse) => {
        seen.push(name);
        return jsonResponse(startResponse, 200, { name });
      };
    const client = createClient(createRouter().all('/x', spy('all')).get('/x', spy('get')));
    await client.head('/x');
    await client.request('PATCH', '/x');
    expect(seen).toEqual(['get', 'all']);
  });

  it('takes a custom notFound application', async () => {
    const app = createRouter({
      notFound: (environ, startResponse) =>
        jsonResponse(startResponse, 404, { error: `路径 ${environ.PATH_INFO} 不存在` }),
    }).get('/health', echo('health'));
    const res = await createClient(app).get('/x');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: '路径 /x 不存在' });
  });

  it('rejects unknown option values', () => {
    expect(() => createRouter({ trailingSlash: 'loose' as 'strict' })).toThrow(
      /trailingSlash must be/,
    );
  });
});

describe('trailing slash', () => {
  it('is strict by default', async () => {
    const client = createClient(createRouter().get('/docs', echo('docs')));
    expect((await client.get('/docs/')).status).toBe(404);
  });

  it('redirects with 308 to the other form, keeping the query string', async () => {
    const app = createRouter({ trailingSlash: 'redirect' })
      .get('/docs', echo('docs'))
      .get('/dir/', echo('dir'));
    const client = createClient(app);
    const res = await client.get('/docs/?page=2&q=a%20b');
    expect(res.status).toBe(308);
    expect(res.headers.get('location')).toBe('/docs?page=2&q=a%20b');
    const add = await client.get('/dir');
    expect(add.status).toBe(308);
    expect(add.headers.get('location')).toBe('/dir/');
    expect((await client.get('/none/')).status).toBe(404);
  });

  it('keeps the mount prefix and the encoding in the Location', async () => {
    const inner = createRouter({ trailingSlash: 'redirect' }).get('/é/:id', echo('y'));
    const app = createRouter().mount('/api', inner);
    const res = await createClient(app).get('/api/%C3%A9/a%2Fb/');
    expect(res.status).toBe(308);
    expect(res.headers.get('location')).toBe('/api/%C3%A9/a%2Fb');
  });

  it('never redirects to another host with a path starting with //', async () => {
    const app = createRouter({ trailingSlash: 'redirect' }).get('//:host', echo('x'));
    const res = await createClient(app).get('//evil.example/');
    expect(res.status).toBe(308);
    expect(res.headers.get('location')).toBe('http://localhost//evil.example');
  });
});

describe('case sensitivity', () => {
  it('is on by default and can be turned off', async () => {
    const strict = createClient(createRouter().get('/About', echo('about')));
    expect((await strict.get('/about')).status).toBe(404);
    const loose = createClient(
      createRouter({ caseSensitive: false }).get('/About/:Name', echo('about')),
    );
    const res = await loose.get('/ABOUT/MiXeD');
    expect(res.status).toBe(200);
    expect(((await res.json()) as Echo).params).toEqual({ Name: 'MiXeD' });
  });
});

describe('percent-decoding', () => {
  const client = createClient(
    createRouter().get('/files/:name', echo('file')).get('/raw/*rest', echo('rest')),
  );

  it('decodes each param exactly once', async () => {
    const get = async (path: string) => ((await (await client.get(path)).json()) as Echo).params;
    expect(await get('/files/caf%C3%A9')).toEqual({ name: 'café' });
    expect(await get('/files/100%25')).toEqual({ name: '100%' });
    expect(await get('/files/%2541')).toEqual({ name: '%41' });
    expect(await get('/files/a%20b')).toEqual({ name: 'a b' });
  });

  it('keeps an encoded slash inside its segment', async () => {
    const res = await client.get('/files/a%2Fb');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ params: { name: 'a/b' }, pathInfo: '/files/a/b' });
    expect(((await (await client.get('/raw/x%2Fy/z')).json()) as Echo).params).toEqual({
      rest: 'x/y/z',
    });
  });

  it('falls back to the decoded PATH_INFO when REQUEST_URI disagrees with it', async () => {
    const res = await client.get('/files/a%2Fb', { environ: { PATH_INFO: '/files/rewritten' } });
    expect(((await res.json()) as Echo).params).toEqual({ name: 'rewritten' });
  });
});

describe('mounting', () => {
  const api = createRouter().get('/', echo('api root')).get('/items/:id', echo('api item'));
  const app = createRouter()
    .get('/', echo('root'))
    .mount('/api', api)
    .mount('/tenants/:tenant', echo('tenant'))
    .mount('/v1', createRouter().mount('/deep', echo('deep')));
  const client = createClient(app);
  const see = async (path: string) => (await (await client.get(path)).json()) as Echo;

  it('moves the matched prefix to SCRIPT_NAME', async () => {
    expect(await see('/api/items/7')).toMatchObject({
      name: 'api item',
      scriptName: '/api',
      pathInfo: '/items/7',
      params: { id: '7' },
      route: { pattern: '/api/items/:id', params: { id: '7' } },
    });
    expect(await see('/api/')).toMatchObject({
      name: 'api root',
      scriptName: '/api',
      pathInfo: '/',
    });
  });

  it('passes the bare prefix as an empty PATH_INFO, which routes as "/"', async () => {
    expect(await see('/api')).toMatchObject({ name: 'api root', scriptName: '/api', pathInfo: '' });
  });

  it('matches whole segments only', async () => {
    expect((await client.get('/apix')).status).toBe(404);
  });

  it("names a mounted route by its whole pattern, with the mounts' params first", async () => {
    const posts = createRouter()
      .get('/', echo('posts'))
      .get('/posts/:id', echo('post'))
      .mount('/files', echo('files'));
    const users = createRouter().mount('/users/:uid', posts);
    const nested = createClient(
      createRouter()
        .mount('/v2/', users)
        .mount('/', createRouter().get('/', echo('home'))),
    );
    const route = async (path: string) => ((await (await nested.get(path)).json()) as Echo).route;
    expect(await route('/v2/users/7/posts/9')).toEqual({
      pattern: '/v2/users/:uid/posts/:id',
      params: { uid: '7', id: '9' },
    });
    // The mounted router's "/" is the mount itself.
    expect(await route('/v2/users/7')).toEqual({
      pattern: '/v2/users/:uid',
      params: { uid: '7' },
    });
    // A mounted app that is no router sees the whole prefix, nested mounts included.
    expect(await route('/v2/users/7/files/a/b')).toEqual({
      pattern: '/v2/users/:uid/files',
      params: { uid: '7' },
    });
    expect(await route('/')).toEqual({ pattern: '/', params: {} });
  });

  it('leaves a route alone when a router runs inside a route that is no mount', async () => {
    const inner = createRouter().get('/items/:id', echo('inner'));
    const outer = createClient(createRouter().get('/items/:id', inner));
    expect(((await (await outer.get('/items/3')).json()) as Echo).route).toEqual({
      pattern: '/items/:id',
      params: { id: '3' },
    });
  });

  it('nests, and exposes params of the prefix', async () => {
    expect(await see('/v1/deep/x/y')).toMatchObject({ scriptName: '/v1/deep', pathInfo: '/x/y' });
    expect(await see('/tenants/acme/users')).toMatchObject({
      scriptName: '/tenants/acme',
      pathInfo: '/users',
      route: { pattern: '/tenants/:tenant', params: { tenant: 'acme' } },
    });
  });

  it('adds to an existing SCRIPT_NAME and keeps decoded text', async () => {
    const mounted = createClient(app, { baseUrl: 'http://localhost/outer' });
    expect((await (await mounted.get('/api/items/caf%C3%A9')).json()) as Echo).toMatchObject({
      scriptName: '/outer/api',
      pathInfo: '/items/café',
    });
  });

  it('rejects bad prefixes and a second mount at the same place', () => {
    expect(() => createRouter().mount('api', echo('x'))).toThrow(
      /must be a string starting with "\/"/,
    );
    expect(() => createRouter().mount('/a/*', echo('x'))).toThrow(
      /cannot hold a wildcard or an optional param/,
    );
    expect(() => createRouter().mount('/a', echo('x')).mount('/a/', echo('y'))).toThrow(
      'route ALL /a/ conflicts with ALL /a',
    );
  });

  it('keeps SCRIPT_NAME free of a trailing "/" when a prefix param holds %2F', async () => {
    const client = createClient(createRouter().mount('/t/:tenant', echo('tenant')));
    expect((await (await client.get('/t/a%2F/x')).json()) as Echo).toMatchObject({
      scriptName: '/t/a',
      pathInfo: '//x',
      route: { pattern: '/t/:tenant', params: { tenant: 'a/' } },
    });
  });

  it('mounts at the root without changing SCRIPT_NAME', async () => {
    const root = createClient(createRouter().mount('/', echo('all')));
    expect((await (await root.get('/x/y')).json()) as Echo).toMatchObject({
      scriptName: '',
      pathInfo: '/x/y',
    });
    expect((await (await root.get('/')).json()) as Echo).toMatchObject({
      scriptName: '',
      pathInfo: '/',
    });
  });
});

describe('environ', () => {
  it('is changed in place, so outer layers see tsgi.route after the call', async () => {
    let outer: Environ | undefined;
    const inner = createRouter().get('/items/:id', echo('x'));
    const wrapped: Application = (environ, startResponse) => {
      outer = environ;
      return inner(environ, startResponse);
    };
    await createClient(wrapped).get('/items/5');
    expect(outer?.['tsgi.route']).toEqual({ pattern: '/items/:id', params: { id: '5' } });
    expect(params({} as Environ)).toEqual({});
  });
});

describe('HEAD through a GET route', () => {
  it('closes the body without reading it and discards write()', async () => {
    const events: string[] = [];
    const app = createRouter().get('/stream', (_environ, startResponse) => {
      const write = startResponse('200 OK', [['Content-Type', 'text/plain']]);
      void write(new TextEncoder().encode('written'));
      return {
        *[Symbol.iterator]() {
          events.push('read');
          yield new TextEncoder().encode('body');
        },
        close() {
          events.push('close');
        },
      };
    });
    const client = createClient(app);
    const res = await client.head('/stream');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(events).toEqual(['close']);
    expect(await (await client.get('/stream')).text()).toBe('writtenbody');
  });

  it('reads a lazy body only until it calls startResponse', async () => {
    let yielded = 0;
    const app = createRouter().get('/lazy', (_environ, startResponse) => ({
      async *[Symbol.asyncIterator]() {
        startResponse('200 OK', [['Content-Type', 'text/plain']]);
        for (; yielded < 1000; ) {
          yielded++;
          yield new Uint8Array(8);
        }
      },
    }));
    const res = await createClient(app).head('/lazy');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(yielded).toBe(1);
  });
});
