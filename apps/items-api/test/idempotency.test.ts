import { createClient, type TestClient } from '@tsgi/test-client';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { BOUNDS, bound, guarded, until } from '../../../tools/test-support/index.ts';
import { createApp } from '../src/app.js';
import { IDEMPOTENCY_TTL_MS, parseIdempotencyKey } from '../src/store/idempotency.js';
import { openStore } from '../src/store/open-store.js';
import { openPostgresStore } from '../src/store/postgres.js';
import type { ItemStore } from '../src/store/store.js';
import { allFixtures, postgresFixture } from './support/stores.js';

const TTL = IDEMPOTENCY_TTL_MS;

describe('the Idempotency-Key header', () => {
  test('absent is undefined; a UUID or any printable ASCII is kept, trimmed', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
    expect(parseIdempotencyKey(' 3f1c-x ')).toBe('3f1c-x');
  });

  test.each([
    ['', '"Idempotency-Key" must not be empty'],
    ['k'.repeat(256), '"Idempotency-Key" must be at most 255 characters, got 256'],
    ['clé', '"Idempotency-Key" must be printable ASCII (a UUID, say), got "clé"'],
    [
      'abc, def',
      '"Idempotency-Key" must be sent once and must not contain "," (repeated headers arrive joined with ", "), got "abc, def"',
    ],
  ])('%j is refused', (value, message) => {
    expect(() => parseIdempotencyKey(value)).toThrow(message);
  });
});

describe.each(allFixtures())('createOnce on $kind', (fixture) => {
  let store: ItemStore;
  let url: string;

  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  beforeEach(async () => {
    ({ store, url } = await fixture.fresh());
  });

  test('the first call creates, a retry with the same body gets the same item', async () => {
    const first = await store.createOnce('k1', { name: '鼠标', stock: 8 }, TTL);
    expect(first).toEqual({ outcome: 'created', item: { id: 4, name: '鼠标', stock: 8 } });
    const again = await store.createOnce('k1', { name: '鼠标', stock: 8 }, TTL);
    expect(again).toEqual({ outcome: 'replayed', item: { id: 4, name: '鼠标', stock: 8 } });
    expect((await store.list(100, 0)).total).toBe(4);
  });

  test('the same key with another body is a mismatch and stores nothing', async () => {
    await store.createOnce('k2', { name: 'pen', stock: 1 }, TTL);
    expect(await store.createOnce('k2', { name: 'pen', stock: 2 }, TTL)).toEqual({
      outcome: 'mismatch',
    });
    expect((await store.list(100, 0)).total).toBe(4);
  });

  test('an expired key is free again', async () => {
    await store.createOnce('k3', { name: 'pen', stock: 1 }, -1);
    const later = await store.createOnce('k3', { name: 'ink', stock: 1 }, TTL);
    expect(later).toMatchObject({ outcome: 'created', item: { id: 5, name: 'ink' } });
  });

  test('six stores on one database racing on one key create one item', async () => {
    const stores = Array.from({ length: 6 }, () => openStore(url));
    await guarded(
      async () => {
        const results = await Promise.all(
          stores.map((s) => s.createOnce('race', { name: 'once', stock: 1 }, TTL)),
        );
        const outcomes = results.map((r) => r.outcome).sort();
        expect(outcomes).toEqual(['created', ...Array(5).fill('replayed')]);
        const ids = new Set(results.map((r) => ('item' in r ? r.item.id : 0)));
        expect(ids.size).toBe(1);
        expect((await store.list(100, 0)).total).toBe(4);
      },
      () => Promise.all(stores.map((s) => s.close())),
    );
  });
});

describe('createOnce on postgres while another transaction holds the key', () => {
  const fixture = postgresFixture();
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());

  test('is in progress until it ends; after its rollback the key creates', async () => {
    const { store, url } = await fixture.fresh();
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    await guarded(
      async () => {
        await other.query('BEGIN');
        await other.query(
          "INSERT INTO idempotency_keys (key, fingerprint, item_id, expires_at) VALUES ('held', '[]', 1, $1)",
          [Date.now() + TTL],
        );
        expect(await store.createOnce('held', { name: 'a', stock: 1 }, TTL)).toEqual({
          outcome: 'in-progress',
        });
        await other.query('ROLLBACK');
        expect(await store.createOnce('held', { name: 'a', stock: 1 }, TTL)).toMatchObject({
          outcome: 'created',
        });
      },
      () => other.end(),
    );
  });
  test('its connection killed mid-transaction is a DatabaseUnavailableError, not a crash; the store goes on', async () => {
    const { url } = await fixture.fresh();
    // The transaction is held by the trigger below until the test kills it: no statement
    // timeout may end it first, however slow the machine.
    const holdMs = bound(BOUNDS.process);
    const store = openPostgresStore(url, { statementTimeoutMs: 2 * holdMs });
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    await guarded(
      async () => {
        // An INSERT of an item named 'slow' sleeps inside createOnce's transaction until killed.
        await other.query(`
        CREATE FUNCTION slow_insert() RETURNS trigger AS $$
        BEGIN IF NEW.name = 'slow' THEN PERFORM pg_sleep(${holdMs / 1000}); END IF; RETURN NEW; END
        $$ LANGUAGE plpgsql;
        CREATE TRIGGER slow_insert BEFORE INSERT ON items FOR EACH ROW EXECUTE FUNCTION slow_insert();`);
        const settled = Promise.resolve(
          store.createOnce('held', { name: 'slow', stock: 1 }, TTL),
        ).then(
          () => 'resolved',
          (error: Error) => `${error.name}: ${error.message}`,
        );
        let killed = 0;
        await until(
          async () => {
            const { rowCount } = await other.query(
              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event = 'PgSleep'",
            );
            killed = rowCount ?? 0;
            return killed > 0;
          },
          { what: "createOnce's transaction to be sleeping in the trigger (PgSleep)" },
        );
        expect(killed).toBe(1);
        expect(await settled).toMatch(/^DatabaseUnavailableError: /);
        // What must NOT happen: the killed connection's end, which arrives just after the
        // statement's error, crashing the process as an unhandled 'error' event. No event
        // marks that it was handled, so a short wait gives it the chance to arrive here.
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(await store.createOnce('held', { name: 'a', stock: 1 }, TTL)).toMatchObject({
          outcome: 'created',
        });
      },
      () => other.end(),
      () => store.close(),
    );
  });
});

describe.each(allFixtures())('POST /items with Idempotency-Key on $kind', (fixture) => {
  let client: TestClient;
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());
  beforeEach(async () => {
    const { store } = await fixture.fresh();
    client = createClient(createApp({ store, validate: true, log: false }));
  });

  const post = (body: unknown, key?: string) =>
    client.post('/items', {
      json: body,
      headers: key === undefined ? {} : { 'Idempotency-Key': key },
    });

  test('a retry gets the first 201, marked as replayed; without a key each POST creates', async () => {
    const first = await post({ name: 'x', stock: 1 }, 'abc');
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const body = await first.json();
    const retry = await post({ name: 'x', stock: 1 }, 'abc');
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('location')).toBe('/items/4');
    expect(await retry.json()).toEqual(body);
    expect((await post({ name: 'x', stock: 1 })).status).toBe(201);
    expect(((await (await client.get('/items')).json()) as { total: number }).total).toBe(5);
  });

  test('the key reused with another body is a 422 naming the key', async () => {
    await post({ name: 'x', stock: 1 }, 'abc');
    const reused = await post({ name: 'y', stock: 1 }, 'abc');
    expect(reused.status).toBe(422);
    expect(await reused.json()).toEqual({
      error: 'Idempotency-Key "abc" was already used with a different body',
    });
  });

  test('a bad key is a 400 and stores nothing', async () => {
    const bad = await post({ name: 'x' }, 'k'.repeat(300));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: '"Idempotency-Key" must be at most 255 characters, got 300',
    });
    expect(((await (await client.get('/items')).json()) as { total: number }).total).toBe(3);
  });
});
