import { describe, expect, it } from 'vitest';
import { createMatcher } from '../src/index.js';

function build(routes: [string, string][], caseInsensitive = false, compile = true) {
  const m = createMatcher<string>({ caseInsensitive, compile });
  for (const [method, pattern] of routes) m.add(method, pattern, `${method} ${pattern}`);
  return m;
}

const hit = (m: ReturnType<typeof build>, method: string, path: string) => {
  const found = m.match(method, path);
  return found === undefined ? undefined : { data: found.route.data, params: { ...found.params } };
};

describe('static routes', () => {
  const m = build([
    ['GET', '/'],
    ['GET', '/health'],
    ['GET', '/items'],
    ['GET', '/items/'],
    ['POST', '/items'],
  ]);
  it('matches the exact path and method', () => {
    expect(hit(m, 'GET', '/')).toEqual({ data: 'GET /', params: {} });
    expect(hit(m, 'GET', '/health')).toEqual({ data: 'GET /health', params: {} });
    expect(hit(m, 'POST', '/items')).toEqual({ data: 'POST /items', params: {} });
  });
  it('treats a trailing slash as a different path', () => {
    expect(hit(m, 'GET', '/items/')?.data).toBe('GET /items/');
    expect(hit(m, 'POST', '/items/')).toBeUndefined();
    expect(hit(m, 'GET', '/health/')).toBeUndefined();
  });
  it('misses unknown paths, prefixes and other methods', () => {
    expect(hit(m, 'GET', '/healthz')).toBeUndefined();
    expect(hit(m, 'GET', '/heal')).toBeUndefined();
    expect(hit(m, 'DELETE', '/items')).toBeUndefined();
    expect(hit(m, 'GET', '')).toBeUndefined();
    expect(hit(m, 'GET', 'health')).toBeUndefined();
  });
  it('is case-sensitive by default', () => {
    expect(hit(m, 'GET', '/Health')).toBeUndefined();
  });
});

describe('params', () => {
  const m = build([
    ['GET', '/users/:id'],
    ['GET', '/users/:id/posts/:postId'],
    ['GET', '/users/me'],
    ['POST', '/a/b'],
    ['GET', '/a/:x'],
    ['GET', '/a/b/c'],
    ['GET', '/org/:org/repos'],
    ['GET', '/org/:name/members'],
  ]);
  it('captures one non-empty segment per param', () => {
    expect(hit(m, 'GET', '/users/42')).toEqual({ data: 'GET /users/:id', params: { id: '42' } });
    expect(hit(m, 'GET', '/users/42/posts/7')).toEqual({
      data: 'GET /users/:id/posts/:postId',
      params: { id: '42', postId: '7' },
    });
    expect(hit(m, 'GET', '/users/')).toBeUndefined();
    expect(hit(m, 'GET', '/users/42/')).toBeUndefined();
    expect(hit(m, 'GET', '/users//posts/7')).toBeUndefined();
  });
  it('prefers static segments over params', () => {
    expect(hit(m, 'GET', '/users/me')).toEqual({ data: 'GET /users/me', params: {} });
  });
  it('backtracks to a param when the static branch has no route for the method or the rest', () => {
    expect(hit(m, 'GET', '/a/b')).toEqual({ data: 'GET /a/:x', params: { x: 'b' } });
    expect(hit(m, 'POST', '/a/b')?.data).toBe('POST /a/b');
    expect(hit(m, 'GET', '/a/b/c')?.data).toBe('GET /a/b/c');
  });
  it('lets routes name the param at one position differently', () => {
    expect(hit(m, 'GET', '/org/tsgi/repos')?.params).toEqual({ org: 'tsgi' });
    expect(hit(m, 'GET', '/org/tsgi/members')?.params).toEqual({ name: 'tsgi' });
  });
  it('keeps any character but "/" in a param, as given', () => {
    expect(hit(m, 'GET', '/users/a b%25é?#')?.params).toEqual({ id: 'a b%25é?#' });
  });
});

describe('wildcards', () => {
  const m = build([
    ['GET', '/files/*path'],
    ['GET', '/files/readme'],
    ['GET', '/static/*'],
    ['GET', '/b/:bucket/*key'],
    ['GET', '/*all'],
  ]);
  it('captures the rest of the path without its leading slash', () => {
    expect(hit(m, 'GET', '/files/a/b/c.txt')).toEqual({
      data: 'GET /files/*path',
      params: { path: 'a/b/c.txt' },
    });
    expect(hit(m, 'GET', '/files/')).toEqual({ data: 'GET /files/*path', params: { path: '' } });
    expect(hit(m, 'GET', '/static/x')?.params).toEqual({ '*': 'x' });
    expect(hit(m, 'GET', '/b/photos/2026/cat.jpg')?.params).toEqual({
      bucket: 'photos',
      key: '2026/cat.jpg',
    });
  });
  it('ranks below static segments and params', () => {
    expect(hit(m, 'GET', '/files/readme')?.data).toBe('GET /files/readme');
    expect(hit(m, 'GET', '/files')).toEqual({ data: 'GET /*all', params: { all: 'files' } });
    expect(hit(m, 'GET', '/')).toEqual({ data: 'GET /*all', params: { all: '' } });
  });
});

describe('optional params', () => {
  const m = build([
    ['GET', '/items/:id?'],
    ['GET', '/:lang?'],
  ]);
  it('match with and without the last segment', () => {
    expect(hit(m, 'GET', '/items')).toEqual({ data: 'GET /items/:id?', params: {} });
    expect(hit(m, 'GET', '/items/3')).toEqual({ data: 'GET /items/:id?', params: { id: '3' } });
    expect(hit(m, 'GET', '/')).toEqual({ data: 'GET /:lang?', params: {} });
    expect(hit(m, 'GET', '/fr')).toEqual({ data: 'GET /:lang?', params: { lang: 'fr' } });
  });
});

describe('methods', () => {
  const m = build([
    ['*', '/any'],
    ['GET', '/any'],
    ['*', '/things/:id'],
  ]);
  it('prefers the exact method over a route for every method', () => {
    expect(hit(m, 'GET', '/any')?.data).toBe('GET /any');
    expect(hit(m, 'PURGE', '/any')?.data).toBe('* /any');
    expect(hit(m, 'DELETE', '/things/1')).toEqual({ data: '* /things/:id', params: { id: '1' } });
  });
  it('lists the methods a path has routes for', () => {
    expect(
      build([
        ['GET', '/x'],
        ['POST', '/:p'],
        ['PUT', '/y'],
      ])
        .methodsFor('/x')
        .sort(),
    ).toEqual(['GET', 'POST']);
  });
  it('rejects a method that is not an HTTP token', () => {
    expect(() => build([['GE T', '/x']])).toThrow(/not an HTTP method token/);
  });
});

describe('case-insensitive matching', () => {
  const m = build(
    [
      ['GET', '/Users/:Id'],
      ['GET', '/About'],
    ],
    true,
  );
  it('folds static segments and keeps param values as sent', () => {
    expect(hit(m, 'GET', '/about')?.data).toBe('GET /About');
    expect(hit(m, 'GET', '/ABOUT')?.data).toBe('GET /About');
    expect(hit(m, 'GET', '/USERS/MiXeD')?.params).toEqual({ Id: 'MiXeD' });
    expect(hit(m, 'GET', '/users/İstanbul')?.params).toEqual({ Id: 'İstanbul' });
  });
});

describe('conflicts and bad patterns', () => {
  it('rejects two routes that match the same paths, naming both', () => {
    const m = build([['GET', '/users/:id']]);
    expect(() => m.add('GET', '/users/:name', 'x')).toThrow(
      'route GET /users/:name conflicts with GET /users/:id: both match the same paths for GET',
    );
    expect(() => m.add('GET', '/users/:id', 'x')).toThrow(/conflicts with GET \/users\/:id/);
    m.add('POST', '/users/:name', 'other method is fine');
  });
  it('rejects an optional param that collides with an existing route, and registers nothing then', () => {
    const m = build([['GET', '/items']]);
    expect(() => m.add('GET', '/items/:id?', 'x')).toThrow(
      'route GET /items/:id? conflicts with GET /items: both match the same paths for GET',
    );
    expect(m.match('GET', '/items/1')).toBeUndefined();
  });
  it('rejects two wildcards at one place, named or not', () => {
    const m = build([['GET', '/f/*']]);
    expect(() => m.add('GET', '/f/*rest', 'x')).toThrow(
      'route GET /f/*rest conflicts with GET /f/*',
    );
  });
  it('rejects routes for every method that collide', () => {
    const m = build([['*', '/x/:a']]);
    expect(() => m.add('*', '/x/:b', 'x')).toThrow('route ALL /x/:b conflicts with ALL /x/:a');
  });
  it('collides case-insensitively when matching ignores case', () => {
    const m = build([['GET', '/About']], true);
    expect(() => m.add('GET', '/about', 'x')).toThrow('route GET /about conflicts with GET /About');
  });
  it.each([
    ['items', /must be a string starting with "\/"/],
    ['/a/*/b', /wildcard "\*" must be the last segment/],
    ['/a/:id?/b', /optional param ":id\?" must be the last segment/],
    ['/a/:', /needs a name/],
    ['/a/:x-y', /needs a name/],
    ['/a/:id/:id', /used twice/],
    ['/a/*a-b', /needs a name/],
    ['/a?b', /contains "\?"/],
    // An object literal or assignment would set the prototype: the param would vanish.
    ['/a/:__proto__', /"__proto__" cannot be a param name/],
    ['/a/*__proto__', /"__proto__" cannot be a param name/],
  ])('rejects the pattern %s', (pattern, message) => {
    expect(() => build([['GET', pattern]])).toThrow(message);
  });
});

describe('large route sets', () => {
  it('matches every GitHub API route with its params (compiled into several functions)', async () => {
    const { readFile } = await import('node:fs/promises');
    const routes = JSON.parse(
      await readFile(new URL('../bench/github-api-routes.json', import.meta.url), 'utf8'),
    ) as [string, string][];
    const m = build(routes);
    for (const [method, pattern] of routes) {
      const names = [...pattern.matchAll(/:(\w+)/g)].map((x) => x[1] as string);
      const path = pattern.replace(/:(\w+)/g, (_, n: string) => `v-${n}`);
      expect(hit(m, method, path)).toEqual({
        data: `${method} ${pattern}`,
        params: Object.fromEntries(names.map((n) => [n, `v-${n}`])),
      });
    }
    expect(String(m.match)).toContain('function match');
  });
});

describe('without code generation', () => {
  it('walks the tree with the same answers (compile: false)', () => {
    const routes: [string, string][] = [
      ['GET', '/'],
      ['GET', '/users/:id'],
      ['GET', '/users/me'],
      ['GET', '/files/*path'],
      ['*', '/any/:x'],
      ['GET', '/About'],
    ];
    const compiled = build(routes, true);
    const walked = build(routes, true, false);
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/users/7'],
      ['GET', '/USERS/me'],
      ['GET', '/files/a/b'],
      ['PUT', '/any/y'],
      ['GET', '/about'],
      ['GET', '/users/'],
      ['GET', 'users'],
    ] as const) {
      expect(hit(walked, method, path)).toEqual(hit(compiled, method, path));
    }
    expect(String(walked.match)).not.toContain('function match');
  });
});
