import type { TsgiServer } from '@tsgi/node';
import { createClient } from '@tsgi/test-client';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { send } from './support/send.js';
import { serveApp } from './support/serve-app.js';
import { allFixtures } from './support/stores.js';

/** {@link send} with the body and headers as arguments. */
const raw = (
  port: number,
  method: string,
  path: string,
  body?: Buffer,
  headers: Record<string, string> = {},
) => send(port, method, path, { body, headers });

describe.each(allFixtures())('items API over HTTP (@tsgi/node on loopback) on $kind', (fixture) => {
  let server: TsgiServer;
  let port: number;

  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  afterEach(() => server?.close({ timeout: 500 }));

  const start = async () => {
    const { store } = await fixture.fresh();
    ({ server, port } = await serveApp(store));
  };

  test('every response has an exact Content-Length and X-Process-Time', async () => {
    await start();
    const json = (value: unknown) => Buffer.from(JSON.stringify(value));
    const cases: Array<[string, string, Buffer | undefined, Record<string, string>, number]> = [
      ['GET', '/health', undefined, {}, 200],
      ['GET', '/items', undefined, {}, 200],
      [
        'POST',
        '/items',
        json({ name: '鼠标', stock: 8 }),
        { 'content-type': 'application/json' },
        201,
      ],
      ['GET', '/items/4', undefined, {}, 200],
      ['GET', '/items/44', undefined, {}, 404],
      ['POST', '/items', Buffer.from('{oops'), { 'content-type': 'application/json' }, 400],
      ['POST', '/items', json({ name: 'a' }), { 'content-type': 'text/plain' }, 415],
      [
        'POST',
        '/items',
        json({ name: 'x'.repeat(20_000) }),
        { 'content-type': 'application/json' },
        413,
      ],
      ['GET', '/environ', undefined, {}, 200],
      ['GET', '/missing', undefined, {}, 404],
      ['DELETE', '/items', undefined, {}, 405],
    ];
    for (const [method, path, body, headers, status] of cases) {
      const response = await raw(port, method, path, body, headers);
      expect(`${method} ${path} ${response.status}`).toBe(`${method} ${path} ${status}`);
      expect(response.headers['content-length']).toBe(String(response.body.byteLength));
      expect(response.headers['x-process-time']).toMatch(/^\d+\.\d{2}$/);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(() => JSON.parse(response.body.toString('utf8'))).not.toThrow();
    }
  });

  test('non-ASCII names travel as raw UTF-8 bytes, both ways', async () => {
    await start();
    const created = await raw(
      port,
      'POST',
      '/items',
      Buffer.from('{"name":"机械键盘 Pro","stock":1}'),
      {
        'content-type': 'application/json; charset=utf-8',
      },
    );
    expect(created.status).toBe(201);
    expect(created.body.includes(Buffer.from('机械键盘 Pro', 'utf8'))).toBe(true);
    const list = await raw(port, 'GET', '/items');
    expect(list.body.toString('latin1')).not.toContain('\\u');
    expect(list.body.includes(Buffer.from('显示器', 'utf8'))).toBe(true);
  });

  test('the 404 names the path, decoded', async () => {
    await start();
    const response = await raw(port, 'GET', '/%E5%95%86%E5%93%81');
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body.toString('utf8'))).toEqual({ error: '路径 /商品 不存在' });
  });

  test('a body far over the limit is refused with 413 without reading it all', async () => {
    await start();
    const big = Buffer.alloc(2 * 1024 * 1024, 0x61);
    const response = await raw(port, 'POST', '/items', big, { 'content-type': 'application/json' });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body.toString())).toEqual({
      error: 'request body is larger than the limit of 16384 bytes',
    });
    // The server still answers afterwards.
    expect((await raw(port, 'GET', '/health')).status).toBe(200);
  });

  test('the test client over HTTP: a POST is visible to the next GET on a keep-alive connection', async () => {
    await start();
    const client = createClient(server.address.url);
    const created = await client.post('/items', { json: { name: 'Dock', stock: 2 } });
    expect(created.status).toBe(201);
    const listed = await client.get('/items');
    expect(((await listed.json()) as { total: number }).total).toBe(4);
  });

  test('a CORS preflight from a browser is answered; the actual response exposes X-Process-Time', async () => {
    await start();
    const preflight = await raw(port, 'OPTIONS', '/items', undefined, {
      origin: 'https://shop.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, POST, OPTIONS');
    const actual = await raw(port, 'POST', '/items', Buffer.from('{"name":"a"}'), {
      origin: 'https://shop.example',
      'content-type': 'application/json',
    });
    expect(actual.status).toBe(201);
    expect(actual.headers['access-control-allow-origin']).toBe('*');
    expect(actual.headers['access-control-expose-headers']).toBe(
      'X-Process-Time, X-Request-Id, Location',
    );
  });
});
