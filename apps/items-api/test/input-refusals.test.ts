// Input the app refuses before it reaches a store, sent over loopback to @tsgi/node.
import type { TsgiServer } from '@tsgi/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type Reply, send } from './support/send.js';
import { serveApp } from './support/serve-app.js';
import { allFixtures } from './support/stores.js';

const errorOf = (reply: Reply) =>
  (JSON.parse(reply.body.toString('utf8')) as { error: string }).error;

describe.each(allFixtures())('POST /items input refusals over HTTP on $kind', (fixture) => {
  let server: TsgiServer;
  let port: number;

  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  afterEach(() => server?.close({ timeout: 500 }));

  const start = async () => {
    const { store } = await fixture.fresh();
    ({ server, port } = await serveApp(store));
  };
  const post = (body: string | Buffer, headers: Record<string, string | string[]> = {}) =>
    send(port, 'POST', '/items', {
      body,
      headers: { 'content-type': 'application/json', ...headers },
    });
  const total = async () =>
    (JSON.parse((await send(port, 'GET', '/items')).body.toString('utf8')) as { total: number })
      .total;

  test('a lone surrogate in "name" is a 400 naming it; a surrogate pair is stored as sent', async () => {
    await start();
    for (const name of ['a\\ud800b', '\\udc00', 'x\\ud83d']) {
      const reply = await post(`{"name": "${name}", "stock": 1}`);
      expect(reply.status, name).toBe(400);
      expect(errorOf(reply)).toBe(
        `"name" must be valid Unicode text (no lone surrogates), got string "${name}"`,
      );
    }
    expect(await total()).toBe(3);
    // The check is for lone halves only: a pair (U+1F642) is one character, kept as it is.
    const created = await post('{"name": "a\\ud83d\\ude42b"}');
    expect(created.status).toBe(201);
    const back = await send(port, 'GET', '/items/4');
    expect(back.body.toString('utf8')).toBe('{"item":{"id":4,"name":"a🙂b","stock":0}}');
  });

  test('Idempotency-Key sent twice is a 400, never the key "abc, def"; a comma in a key too', async () => {
    await start();
    const twice = await post('{"name": "pen"}', { 'idempotency-key': ['abc', 'def'] });
    expect(twice.status).toBe(400);
    expect(errorOf(twice)).toBe(
      '"Idempotency-Key" must be sent once and must not contain "," (repeated headers arrive joined with ", "), got "abc, def"',
    );
    const comma = await post('{"name": "pen"}', { 'idempotency-key': 'abc,def' });
    expect(comma.status).toBe(400);
    expect(errorOf(comma)).toMatch(/must not contain ","/);
    expect(await total()).toBe(3);
    // The same key once is fine, and a retry of it is replayed.
    const once = await post('{"name": "pen"}', { 'idempotency-key': 'abc' });
    expect(once.status).toBe(201);
    const retry = await post('{"name": "pen"}', { 'idempotency-key': 'abc' });
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await total()).toBe(4);
  });

  test('a charset other than UTF-8 is a 415 naming it; utf-8 and utf8 in any case are fine', async () => {
    await start();
    const latin1 = Buffer.from('{"name": "café"}', 'latin1');
    for (const [type, charset] of [
      ['application/json; charset=latin1', 'latin1'],
      ['application/json; charset="ISO-8859-1"', 'ISO-8859-1'],
    ]) {
      const reply = await post(latin1, { 'content-type': type ?? '' });
      expect(reply.status, type).toBe(415);
      expect(errorOf(reply)).toBe(
        `request Content-Type ${JSON.stringify(type)} has charset ${JSON.stringify(charset)}; only UTF-8 is accepted`,
      );
    }
    expect(await total()).toBe(3);
    for (const [i, type] of [
      'application/json; charset=UTF-8',
      'application/json;charset=utf8',
    ].entries()) {
      const reply = await post(Buffer.from('{"name": "café"}', 'utf8'), { 'content-type': type });
      expect(reply.status, type).toBe(201);
      expect(JSON.parse(reply.body.toString('utf8'))).toEqual({
        item: { id: 4 + i, name: 'café', stock: 0 },
      });
    }
  });
});
