import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type TsgiServer } from '@tsgi/node';
import { createClient, type TestWebSocket, WebSocketDenied } from '@tsgi/test-client';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { guarded, until } from '../../../tools/test-support/index.ts';
import { type AppOptions, createApp } from '../src/app.js';
import { BEHIND_CLOSE, SENT_CLOSE } from '../src/events/client-stream.js';
import { MAX_BEHIND } from '../src/events/hub.js';
import { openStore } from '../src/store/open-store.js';
import type { Item, ItemStore } from '../src/store/store.js';
import { APPLICATION } from './support/paths.js';
import { startTsgi, stopAll } from './support/processes.js';
import { send } from './support/send.js';
import { allFixtures, postgresFixture, sqliteFixture } from './support/stores.js';
import { connectionsPerWorker } from './support/worker-sockets.js';

const EVENTS = '/items/events';

/** The event every client should receive for `item`. */
const created = (item: Item) => ({ type: 'item.created', item });

/** POSTs an item through `base` (a fresh client) and returns the stored item. */
async function post(base: string, name: string, headers: Record<string, string> = {}) {
  const response = await createClient(base).post('/items', {
    json: { name, stock: 1 },
    headers,
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { item: Item }).item;
}

/** The app on `store` served by @tsgi/node on loopback, quiet; its base URL. */
async function serveOn(
  servers: TsgiServer[],
  store: ItemStore,
  options: Partial<AppOptions> = {},
): Promise<string> {
  const app = createApp({ store, validate: true, log: false, eventsLog: () => {}, ...options });
  const server = await serve(app, { host: '127.0.0.1', port: 0, errors: { write: () => true } });
  servers.push(server);
  return `http://127.0.0.1:${server.address.port}`;
}

describe.each(allFixtures())('GET /items/events on $kind (@tsgi/node on loopback)', (fixture) => {
  const servers: TsgiServer[] = [];
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  afterEach(() => Promise.all(servers.splice(0).map((server) => server.close({ timeout: 500 }))));

  test('every client receives each item created through POST /items', async () => {
    const { store } = await fixture.fresh();
    const base = await serveOn(servers, store);
    const client = createClient(base);
    const sockets = await Promise.all([
      client.websocket(EVENTS, { protocols: ['other', 'items.v1'] }),
      client.websocket(EVENTS),
      client.websocket(EVENTS),
    ]);
    expect(sockets.map((socket) => socket.protocol)).toEqual(['items.v1', '', '']);
    const first = await post(base, '无线鼠标');
    const second = await post(base, 'pen');
    for (const socket of sockets) {
      expect(await socket.receiveJson()).toEqual(created(first));
      expect(await socket.receiveJson()).toEqual(created(second));
    }
    await client.close();
  });

  test('a request that is not a WebSocket upgrade gets 426 in JSON', async () => {
    const { store } = await fixture.fresh();
    const base = await serveOn(servers, store);
    const reply = await send(Number(new URL(base).port), 'GET', EVENTS);
    expect(reply.status).toBe(426);
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(reply.body.toString()).error).toMatch(/^GET \/items\/events is a WebSocket/);
  });

  test('an Origin outside CORS_ORIGINS is refused with 403; listed or none is accepted', async () => {
    const { store } = await fixture.fresh();
    const base = await serveOn(servers, store, { corsOrigins: ['https://shop.example'] });
    const client = createClient(base);
    const denied = await client
      .websocket(EVENTS, { headers: { Origin: 'https://evil.example' } })
      .catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(WebSocketDenied);
    expect((denied as WebSocketDenied).status).toBe(403);
    expect(JSON.parse((denied as WebSocketDenied).body)).toEqual({
      error: 'origin "https://evil.example" may not open /items/events (CORS_ORIGINS)',
    });
    const listed = await client.websocket(EVENTS, { headers: { Origin: 'https://shop.example' } });
    const none = await client.websocket(EVENTS);
    const item = await post(base, 'lamp');
    expect(await listed.receiveJson()).toEqual(created(item));
    expect(await none.receiveJson()).toEqual(created(item));
    await client.close();
  });

  test('a client offering only other subprotocols is refused with 400', async () => {
    const { store } = await fixture.fresh();
    const client = createClient(await serveOn(servers, store));
    const denied = await client
      .websocket(EVENTS, { protocols: ['chat', 'other'] })
      .catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(WebSocketDenied);
    expect((denied as WebSocketDenied).status).toBe(400);
    expect(JSON.parse((denied as WebSocketDenied).body)).toEqual({
      error: '/items/events speaks the subprotocol items.v1 (or none), not chat, other',
    });
  });

  test('a client that sends a message is closed with 1008', async () => {
    const { store } = await fixture.fresh();
    const client = createClient(await serveOn(servers, store));
    const socket = await client.websocket(EVENTS);
    await socket.send('hello?');
    expect(await socket.closed).toEqual(SENT_CLOSE);
  });
});

describe('GET /items/events across 2 workers of `tsgi serve` on one SQLite file', () => {
  afterAll(() => stopAll());

  test('a creation made in one process reaches the clients of every worker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'items-api-events-'));
    const url = `sqlite:${join(dir, 'items.db')}`;
    const sockets: TestWebSocket[] = [];
    let writer: ItemStore | undefined;
    await guarded(
      async () => {
        const tsgi = startTsgi(
          ['serve', APPLICATION, '--workers', '2', '--host', '127.0.0.1', '--port', '0'],
          { env: { DATABASE_URL: url } },
        );
        const [, port] = await tsgi.waitFor(
          /listening on http:\/\/127\.0\.0\.1:(\d+) \(http, 2 workers\)/,
        );
        const base = `http://127.0.0.1:${port}`;
        const pid = tsgi.child.pid as number;
        const spread = () =>
          [...connectionsPerWorker(pid, Number(port)).values()].filter((n) => n > 0).length;
        // The kernel picks each connection's worker: 6 clients, more (bounded) until both hold one.
        for (let i = 0; i < 6 || (spread() < 2 && i < 40); i++) {
          sockets.push(await createClient(base).websocket(EVENTS));
        }
        expect(spread(), 'the clients landed on both workers').toBe(2);

        // Served by one of the workers; the clients of both receive it.
        const item = await post(base, 'from a worker');
        for (const socket of sockets) expect(await socket.receiveJson()).toEqual(created(item));

        // Written by another process on the file, served by neither worker.
        writer = openStore(url);
        const outside = await writer.create({ name: 'from outside', stock: 2 });
        for (const socket of sockets) expect(await socket.receiveJson()).toEqual(created(outside));
      },
      () => Promise.all(sockets.map((socket) => socket.close())),
      () => writer?.close(),
      () => stopAll(),
      () => rmSync(dir, { recursive: true, force: true }),
    );
  });
});

describe('GET /items/events on PostgreSQL: LISTEN/NOTIFY across hosts', () => {
  const fixture = postgresFixture();
  const servers: TsgiServer[] = [];
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  afterEach(() => Promise.all(servers.splice(0).map((server) => server.close({ timeout: 500 }))));

  test('a creation on one host reaches the clients of another; a rolled-back one never does', async () => {
    const { url, store } = await fixture.fresh();
    const other = openStore(url);
    await guarded(
      async () => {
        const listening = await serveOn(servers, store);
        const creating = await serveOn(servers, other);
        const client = createClient(listening);
        const sockets = await Promise.all([client.websocket(EVENTS), client.websocket(EVENTS)]);
        const key = { 'Idempotency-Key': 'events-key-1' };
        const first = await post(creating, 'keyed', key);
        // The replay inserts again and rolls back: its NOTIFY is dropped with it.
        const replay = await createClient(creating).post('/items', {
          json: { name: 'keyed', stock: 1 },
          headers: key,
        });
        expect(replay.headers.get('idempotent-replayed')).toBe('true');
        const second = await post(creating, 'plain');
        for (const socket of sockets) {
          expect(await socket.receiveJson()).toEqual(created(first));
          expect(await socket.receiveJson()).toEqual(created(second));
        }
        await client.close();
      },
      () => other.close(),
    );
  });

  test('a lost LISTEN connection is re-opened, and creations go on arriving', async () => {
    const { url, store } = await fixture.fresh();
    const log: string[] = [];
    const base = await serveOn(servers, store, { eventsLog: (line) => log.push(line) });
    const client = createClient(base);
    const socket = await client.websocket(EVENTS);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await guarded(
      async () => {
        const listener = async () => {
          const { rows } = await admin.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity
            WHERE application_name = 'items-api events' AND datname = current_database()`,
          );
          return rows.map((row) => row.pid);
        };
        const [before] = await listener();
        expect(before).toBeDefined();
        await admin.query('SELECT pg_terminate_backend($1)', [before]);
        await until(async () => (await listener()).some((pid) => pid !== before), {
          what: 'a new LISTEN connection',
          details: () => log.join('\n'),
        });
        const item = await post(base, 'after the loss');
        expect(await socket.receiveJson()).toEqual(created(item));
        expect(log.some((line) => line.includes('lost the postgres feed'))).toBe(true);
        expect(log.some((line) => line.includes('feed follows again'))).toBe(true);
        await client.close();
      },
      () => admin.end(),
    );
  });
});

describe('GET /items/events: a client that stops reading (in process)', () => {
  const fixture = sqliteFixture();
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());

  test(`is closed with 1013 once more than ${MAX_BEHIND} events behind; the others go on`, async () => {
    const { store } = await fixture.fresh();
    const client = createClient(createApp({ store, log: false, eventsLog: () => {} }));
    const slow = await client.websocket(EVENTS);
    const fast = await client.websocket(EVENTS);
    // The in-memory socket holds 1024 messages before send() waits; then the hub's MAX_BEHIND.
    const total = 1024 + MAX_BEHIND + 200;
    const received: number[] = [];
    const reading = (async () => {
      while (received.length < total) {
        const event = (await fast.receiveJson()) as { item: Item };
        received.push(event.item.id);
      }
    })();
    const ids: number[] = [];
    for (let i = 0; i < total; i++) {
      ids.push((await store.create({ name: `item ${i}`, stock: i })).id);
      // Lets the feed and the fast reader run between creations, now and then.
      if (i % 100 === 99)
        await until(() => received.length >= i - 300, { what: 'the fast reader' });
    }
    expect(await slow.closed).toEqual(BEHIND_CLOSE);
    await reading;
    expect(received).toEqual(ids);
    await client.close();
  });
});
