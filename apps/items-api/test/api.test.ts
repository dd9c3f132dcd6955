import { createClient, type TestClient, type TestResponse } from '@tsgi/test-client';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { guarded } from '../../../tools/test-support/index.ts';
import { createApp } from '../src/app.js';
import { openStore } from '../src/store/open-store.js';
import type { ItemStore } from '../src/store/store.js';
import { allFixtures } from './support/stores.js';

const SEEDS = [
  { id: 1, name: 'MacBook Pro', stock: 5 },
  { id: 2, name: '机械键盘', stock: 12 },
  { id: 3, name: '显示器', stock: 3 },
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every response: exact Content-Length, X-Process-Time in ms with two decimals. */
async function framed(response: TestResponse): Promise<Uint8Array> {
  const bytes = await response.bytes();
  if (response.status !== 204 && response.status !== 304) {
    expect(response.headers.get('content-length')).toBe(String(bytes.byteLength));
  }
  expect(response.headers.get('x-process-time')).toMatch(/^\d+\.\d{2}$/);
  expect(response.headers.get('x-request-id')).toMatch(UUID);
  return bytes;
}

async function jsonOf(response: TestResponse): Promise<unknown> {
  const bytes = await framed(response);
  expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
}

describe.each(allFixtures())('items API in-process on $kind', (fixture) => {
  let store: ItemStore;
  let url: string;
  let client: TestClient;

  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  beforeEach(async () => {
    ({ store, url } = await fixture.fresh());
    client = createClient(createApp({ store, validate: true, log: false }));
  });

  test('GET /health answers ok with the node version, the database and the time', async () => {
    const before = Date.now();
    const response = await client.get('/health');
    expect(response.status).toBe(200);
    const body = (await jsonOf(response)) as Record<string, string>;
    expect(body).toMatchObject({
      status: 'ok',
      node: process.versions.node,
      database: fixture.kind,
    });
    expect(typeof body.server).toBe('string');
    expect(Date.parse(body.time ?? '')).toBeGreaterThanOrEqual(before - 1000);
    expect(body.time).toBe(new Date(Date.parse(body.time ?? '')).toISOString());
  });

  test('GET /items on a fresh database lists the three seed items, UTF-8 unescaped', async () => {
    const response = await client.get('/items');
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('"机械键盘"');
    expect(text).not.toContain('\\u');
    expect(await jsonOf(response)).toEqual({ items: SEEDS, total: 3 });
  });

  test('POST /items under a non-ASCII mount point sends a percent-encoded Location', async () => {
    const mounted = createClient(createApp({ store, validate: true, log: false }), {
      baseUrl: 'http://localhost/商店 1',
    });
    const created = await mounted.post('/items', { json: { name: 'pen' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/%E5%95%86%E5%BA%97%201/items/4');
  });

  test('POST /items creates an item that GET /items and GET /items/:id then show', async () => {
    const created = await client.post('/items', { json: { name: '无线鼠标', stock: 8 } });
    expect(created.status).toBe(201);
    expect(await jsonOf(created)).toEqual({ item: { id: 4, name: '无线鼠标', stock: 8 } });
    expect(created.headers.get('location')).toBe('/items/4');

    expect(await jsonOf(await client.get('/items'))).toEqual({
      items: [...SEEDS, { id: 4, name: '无线鼠标', stock: 8 }],
      total: 4,
    });
    const one = await client.get('/items/4');
    expect(one.status).toBe(200);
    expect(await jsonOf(one)).toEqual({ item: { id: 4, name: '无线鼠标', stock: 8 } });
  });

  test('POST /items trims the name, defaults stock to 0 and accepts application/*+json', async () => {
    const created = await client.post('/items', {
      body: JSON.stringify({ name: '  USB hub  ', extra: true }),
      headers: { 'content-type': 'application/merchant+json; charset=utf-8' },
    });
    expect(created.status).toBe(201);
    expect(await jsonOf(created)).toEqual({ item: { id: 4, name: 'USB hub', stock: 0 } });
  });

  test('another store on the same database (another worker) sees the new item', async () => {
    await client.post('/items', { json: { name: 'Dock', stock: 2 } });
    const other = openStore(url);
    await guarded(
      async () => {
        const otherClient = createClient(createApp({ store: other, validate: true, log: false }));
        const body = (await jsonOf(await otherClient.get('/items/4'))) as { item: unknown };
        expect(body.item).toEqual({ id: 4, name: 'Dock', stock: 2 });
      },
      () => other.close(),
    );
  });

  test('limit and offset page through the items; total counts them all', async () => {
    expect(await jsonOf(await client.get('/items', { query: { limit: 2 } }))).toEqual({
      items: SEEDS.slice(0, 2),
      total: 3,
    });
    expect(await jsonOf(await client.get('/items', { query: { limit: 1, offset: 2 } }))).toEqual({
      items: SEEDS.slice(2),
      total: 3,
    });
    expect(await jsonOf(await client.get('/items', { query: { offset: 10 } }))).toEqual({
      items: [],
      total: 3,
    });
  });

  test.each([
    ['limit=0', /"limit" must be a whole number from 1 to 100, got "0"/],
    ['limit=101', /"limit" must be a whole number from 1 to 100/],
    ['limit=abc', /"limit" .* got "abc"/],
    ['limit=1.5', /"limit"/],
    ['offset=-1', /"offset" must be a whole number from 0/],
    ['limit=1&limit=2', /"limit" is given 2 times/],
  ])('GET /items?%s is a 400 naming the parameter', async (query, message) => {
    const response = await client.get(`/items?${query}`);
    expect(response.status).toBe(400);
    expect(((await jsonOf(response)) as { error: string }).error).toMatch(message);
  });

  const badBodies: Array<[string, { body: string | Uint8Array; type?: string }, number, RegExp]> = [
    ['invalid JSON', { body: '{"name": "x",' }, 400, /not valid JSON/],
    ['an empty body', { body: '' }, 400, /empty/],
    ['a JSON array', { body: '[1, 2]' }, 400, /must be a JSON object .* got an array/],
    ['a JSON string', { body: '"pen"' }, 400, /must be a JSON object/],
    ['null', { body: 'null' }, 400, /must be a JSON object .* got null/],
    ['no name', { body: '{"stock": 1}' }, 400, /"name" is missing/],
    ['an empty name', { body: '{"name": "   "}' }, 400, /"name" must not be empty/],
    // PostgreSQL cannot store U+0000 in text: without a check this was a 500 there.
    [
      'a NUL in the name',
      { body: '{"name": "a\\u0000b"}' },
      400,
      /"name" must not contain control characters/,
    ],
    ['a line break in the name', { body: '{"name": "a\\nb"}' }, 400, /control characters/],
    ['a numeric name', { body: '{"name": 42}' }, 400, /"name" must be a string, got number 42/],
    ['a long name', { body: JSON.stringify({ name: 'x'.repeat(201) }) }, 400, /at most 200/],
    [
      'a negative stock',
      { body: '{"name": "a", "stock": -1}' },
      400,
      /"stock" must be a whole number from 0/,
    ],
    [
      'a fractional stock',
      { body: '{"name": "a", "stock": 1.5}' },
      400,
      /"stock" .* got number 1.5/,
    ],
    ['a string stock', { body: '{"name": "a", "stock": "5"}' }, 400, /"stock" .* got string "5"/],
    ['a null stock', { body: '{"name": "a", "stock": null}' }, 400, /"stock" .* got null/],
    ['a huge stock', { body: '{"name": "a", "stock": 2147483648}' }, 400, /"stock"/],
    ['bytes that are not UTF-8', { body: new Uint8Array([0x7b, 0xff, 0x7d]) }, 400, /UTF-8/],
    [
      'a body over 16 KiB',
      { body: JSON.stringify({ name: 'x'.repeat(17_000) }) },
      413,
      /larger than the limit of 16384 bytes/,
    ],
    [
      'text/plain',
      { body: '{"name": "a"}', type: 'text/plain' },
      415,
      /"text\/plain" is not application\/json/,
    ],
    [
      'a form',
      { body: 'name=a', type: 'application/x-www-form-urlencoded' },
      415,
      /not application\/json/,
    ],
  ];
  // Status second, so the title's %i is the status (vitest fills placeholders in order).
  test.each(
    badBodies.map(([what, input, status, message]) => [what, status, input, message] as const),
  )(
    'POST /items with %s is a %i naming the problem, and stores nothing',
    async (_what, status, input, message) => {
      const response = await client.post('/items', {
        body: input.body,
        headers: { 'content-type': input.type ?? 'application/json' },
      });
      expect(response.status).toBe(status);
      expect(((await jsonOf(response)) as { error: string }).error).toMatch(message);
      expect(((await jsonOf(await client.get('/items'))) as { total: number }).total).toBe(3);
    },
  );

  test('POST /items without Content-Type is a 415 saying so', async () => {
    const response = await client.post('/items', {
      body: new TextEncoder().encode('{"name": "a"}'),
    });
    expect(response.status).toBe(415);
    expect(await jsonOf(response)).toEqual({
      error: 'request has no Content-Type; expected application/json',
    });
  });

  test.each([
    '/items/999',
    '/items/0',
    '/items/abc',
    '/items/01',
    '/items/2147483648',
    '/items/9999999999',
    '/items/99999999999',
  ])('GET %s is a 404', async (path) => {
    const response = await client.get(path);
    expect(response.status).toBe(404);
    const id = path.slice('/items/'.length);
    expect(await jsonOf(response)).toEqual({ error: `商品 ${id} 不存在` });
  });

  test('GET /environ shows string, number and boolean values, with credentials redacted', async () => {
    const response = await client.get('/environ?debug=1', {
      headers: { authorization: 'Bearer secret', cookie: 'session=abc', 'x-trace': 't-1' },
    });
    expect(response.status).toBe(200);
    const { environ } = (await jsonOf(response)) as { environ: Record<string, unknown> };
    expect(environ).toMatchObject({
      REQUEST_METHOD: 'GET',
      PATH_INFO: '/environ',
      QUERY_STRING: 'debug=1',
      SERVER_NAME: 'localhost',
      HTTP_X_TRACE: 't-1',
      HTTP_AUTHORIZATION: '[redacted]',
      HTTP_COOKIE: '[redacted]',
      'tsgi.url_scheme': 'http',
      'tsgi.multithread': true,
    });
    expect(environ).not.toHaveProperty('tsgi.input');
    expect(environ).not.toHaveProperty('tsgi.errors');
    expect(environ).not.toHaveProperty('tsgi.version');
    expect(JSON.stringify(environ)).not.toContain('secret');
  });

  test('GET /health is a 503 naming the problem when the database is unreachable', async () => {
    const broken = openStore(url);
    await broken.close();
    const brokenClient = createClient(createApp({ store: broken, validate: true, log: false }));
    const response = await brokenClient.get('/health');
    expect(response.status).toBe(503);
    const body = (await jsonOf(response)) as Record<string, unknown>;
    expect(body).toMatchObject({
      status: 'error',
      database: fixture.kind,
      error: 'database unreachable',
    });
    // The driver's detail is for the operator's log, not for the public answer.
    expect(brokenClient.errors).toMatch(/^health: \w+ database unreachable: ./m);
  });

  test('an unknown path is the tutorial 404', async () => {
    const response = await client.get('/notfound');
    expect(response.status).toBe(404);
    expect(await jsonOf(response)).toEqual({ error: '路径 /notfound 不存在' });
  });

  test.each([
    ['DELETE', '/items', 'GET, HEAD, POST, OPTIONS'],
    ['PUT', '/items/1', 'GET, HEAD, OPTIONS'],
    ['POST', '/health', 'GET, HEAD, OPTIONS'],
  ])('%s %s is a 405 with Allow: %s', async (method, path, allow) => {
    const response = await client.request(method, path);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    expect(((await jsonOf(response)) as { error: string }).error).toContain(method);
  });

  test('HEAD /items has the GET headers and no body', async () => {
    const get = await client.get('/items');
    const head = await client.head('/items');
    expect(head.status).toBe(200);
    expect((await head.bytes()).byteLength).toBe(0);
    expect(head.headers.get('content-length')).toBe(get.headers.get('content-length'));
    expect(head.headers.get('x-process-time')).toMatch(/^\d+\.\d{2}$/);
  });

  test('a plain OPTIONS gets Allow and X-Process-Time', async () => {
    const response = await client.options('/items');
    expect(response.status).toBe(204);
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
    expect(response.headers.get('x-process-time')).toMatch(/^\d+\.\d{2}$/);
  });

  test('CORS: any origin may read, X-Process-Time is exposed; preflights are answered by cors()', async () => {
    const simple = await client.get('/items', { headers: { origin: 'https://shop.example' } });
    expect(simple.headers.get('access-control-allow-origin')).toBe('*');
    expect(simple.headers.get('access-control-expose-headers')).toBe(
      'X-Process-Time, X-Request-Id, Location',
    );
    await framed(simple);

    const preflight = await client.options('/items', {
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');
    // Documented: the preflight never reaches timing(), so it has no X-Process-Time (nor X-Request-Id).
    expect(preflight.headers.get('x-process-time')).toBeNull();
    expect(preflight.headers.get('x-request-id')).toBeNull();
  });

  test('the timing middleware logs one line per request to tsgi.errors', async () => {
    const logged = createClient(createApp({ store, validate: true }));
    const response = await logged.get('/items');
    const id = response.headers.get('x-request-id');
    expect(response.errors).toMatch(
      /^\[\d\d:\d\d:\d\d\] GET \/items → \d+\.\dms id=[0-9a-f-]{36}\n$/,
    );
    expect(response.errors).toContain(`id=${id}\n`);
  });

  test('a client X-Request-Id is replaced by default, and kept from a trusted proxy', async () => {
    const sent = { headers: { 'x-request-id': 'from-client-1' } };
    const fresh = await client.get('/health', sent);
    expect(fresh.headers.get('x-request-id')).toMatch(UUID);
    const trusting = createClient(
      createApp({ store, validate: true, log: false, requestIdTrust: 'loopback' }),
    );
    const kept = await trusting.get('/health', sent);
    expect(kept.headers.get('x-request-id')).toBe('from-client-1');
  });
});
