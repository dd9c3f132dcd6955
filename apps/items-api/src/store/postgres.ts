import pg from 'pg';
import { fingerprint } from './idempotency.js';
import { MIGRATIONS, MIGRATIONS_TABLE, SEED_ITEMS } from './migrations.js';
import { followPostgres, NOTIFY_CREATED } from './postgres-listen.js';
import { POSTGRES_DEFAULTS, type PostgresStoreOptions } from './postgres-options.js';
import type { CreationHandlers, Item, ItemPage, ItemStore, KeyedCreate, NewItem } from './store.js';
import { guarded } from './unavailable.js';

/**
 * How long a keyed `POST` waits for another request holding the same key
 * before answering 409 (`in-progress`), in ms.
 */
export const KEY_WAIT_MS = 1000;

/**
 * Inserts an item, returns it and notifies `items_created` of it, in one
 * statement (see `NOTIFY_CREATED`): listeners hear of it once it commits.
 */
const INSERT_ITEM = `WITH created AS (
  INSERT INTO items (name, stock) VALUES ($1, $2) RETURNING id, name, stock
) ${NOTIFY_CREATED}`;

/** SQLSTATE lock_not_available: the key's row stayed locked for {@link KEY_WAIT_MS}. */
const LOCK_NOT_AVAILABLE = '55P03';

/** The advisory lock key that serialises `migrate()` across processes and machines. */
const MIGRATE_LOCK = 8_030_002;

/** How long `migrate()` may wait for another host's migration (the advisory lock), in ms. */
const MIGRATE_WAIT_MS = 120_000;

/** `postgres://user:secret@host/db` → `postgres://user@host/db`, for logs and `/health`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/**
 * Opens a connection pool to PostgreSQL at `url` (`postgres://user:password@host:port/db`,
 * with the usual `PG*` variables filling what it leaves out). Several processes and
 * machines can share the database; `migrate()` takes an advisory lock so that
 * only one applies each step. Waiting for a connection is bounded by
 * `connectTimeoutMs` and each statement by `statementTimeoutMs` (on the server,
 * and on the client 1 s later, for a server that went silent); past them, or
 * when the server is gone, a call throws a `DatabaseUnavailableError`. Broken
 * connections are dropped and the next call connects anew, so the store
 * recovers by itself when the database is back.
 *
 * @example
 * const store = openPostgresStore(process.env.DATABASE_URL!);
 * await store.migrate();
 */
export function openPostgresStore(url: string, options: PostgresStoreOptions = {}): ItemStore {
  const { poolSize, connectTimeoutMs, statementTimeoutMs } = { ...POSTGRES_DEFAULTS, ...options };
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: connectTimeoutMs,
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + 1000,
    keepAlive: true,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection must not crash the worker; the next query reconnects.
  pool.on('error', () => {});

  return {
    kind: 'postgres',
    location: redactUrl(url),
    async migrate() {
      const { client, release } = await checkOut(pool);
      try {
        await client.query('BEGIN');
        // Another host migrating holds the lock: wait for it, longer than a statement may take.
        await client.query(`SET LOCAL statement_timeout = ${MIGRATE_WAIT_MS}`);
        await client.query({
          text: 'SELECT pg_advisory_xact_lock($1)',
          values: [MIGRATE_LOCK],
          query_timeout: MIGRATE_WAIT_MS + 1000,
        } as pg.QueryConfig);
        await client.query(MIGRATIONS_TABLE);
        const { rows } = await client.query<{ name: string }>(
          'SELECT name FROM items_api_migrations',
        );
        const done = new Set(rows.map((row) => row.name));
        const applied: string[] = [];
        for (const migration of MIGRATIONS) {
          if (done.has(migration.name)) continue;
          if (migration.postgres === 'seed') {
            for (const item of SEED_ITEMS) {
              await client.query('INSERT INTO items (name, stock) VALUES ($1, $2)', [
                item.name,
                item.stock,
              ]);
            }
          } else {
            await client.query(migration.postgres);
          }
          await client.query(
            'INSERT INTO items_api_migrations (name, applied_at) VALUES ($1, $2)',
            [migration.name, new Date().toISOString()],
          );
          applied.push(migration.name);
        }
        await client.query('COMMIT');
        return applied;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        release();
      }
    },
    list: (limit: number, offset: number): Promise<ItemPage> =>
      guarded(async () => {
        // One statement, so the page and the total come from the same snapshot.
        const { rows } = await pool.query<{ total: number; items: Item[] }>(
          `SELECT (SELECT count(*) FROM items)::int AS total,
                (SELECT coalesce(json_agg(page ORDER BY page.id), '[]'::json)
                   FROM (SELECT id, name, stock FROM items ORDER BY id LIMIT $1 OFFSET $2) AS page
                ) AS items`,
          [limit, offset],
        );
        const row = rows[0];
        return { items: row?.items ?? [], total: row?.total ?? 0 };
      }),
    get: (id: number) =>
      guarded(async () => {
        const { rows } = await pool.query<Item>('SELECT id, name, stock FROM items WHERE id = $1', [
          id,
        ]);
        return rows[0];
      }),
    create: (item: NewItem) =>
      guarded(async () => {
        const { rows } = await pool.query<Item>(INSERT_ITEM, [item.name, item.stock]);
        const created = rows[0];
        if (created === undefined)
          throw new Error('PostgreSQL returned no row for INSERT … RETURNING');
        // The row also has the pg_notify column: the item is its first three.
        return { id: created.id, name: created.name, stock: created.stock };
      }),
    createOnce: (key: string, item: NewItem, ttlMs: number): Promise<KeyedCreate> =>
      guarded(async () => {
        const { client, release } = await checkOut(pool);
        try {
          // A claim that lost to a key removed meanwhile (expired) is tried again, a few times.
          for (let attempt = 1; attempt <= 3; attempt++) {
            const outcome = await claimKey(client, key, item, ttlMs);
            if (outcome !== undefined) return outcome;
          }
          return { outcome: 'in-progress' };
        } catch (error) {
          release(error as Error);
          throw error;
        } finally {
          release();
        }
      }),
    followCreations: (handlers: CreationHandlers) =>
      followPostgres(url, { connectTimeoutMs, statementTimeoutMs }, handlers),
    ping: () =>
      guarded(async () => {
        await pool.query('SELECT 1');
      }),
    close: () => pool.end(),
  };
}

/**
 * Checks a client out of `pool` for a transaction. While it is out, the pool
 * no longer listens for its `error` event, and a connection lost between two
 * statements (the server stopped, the backend terminated) would be thrown as
 * an uncaught exception that kills the worker. So this listens for it until
 * the release, and a client that failed, or that the caller's error names as
 * broken, is destroyed instead of returned to the pool. `release` runs once;
 * later calls do nothing.
 */
async function checkOut(
  pool: pg.Pool,
): Promise<{ client: pg.PoolClient; release: (broken?: Error) => void }> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (error: Error) => {
    lost = error;
  };
  client.on('error', onError);
  let released = false;
  return {
    client,
    release(broken?: Error) {
      if (released) return;
      released = true;
      // Still listening: a destroyed client may report its end after this.
      client.release(lost ?? broken);
      if (lost === undefined && broken === undefined) client.off('error', onError);
    },
  };
}

/**
 * One try at storing `item` under `key`, in one transaction: remove the key if
 * expired, insert the item, insert the key. A concurrent transaction holding
 * the key makes the key's INSERT wait (for {@link KEY_WAIT_MS}): when that one
 * commits, this one rolls back and answers with its item (or `mismatch`);
 * when it rolls back, this one goes on and creates. `undefined`: the key
 * vanished between the conflict and the look-up; try again.
 */
async function claimKey(
  client: pg.PoolClient,
  key: string,
  item: NewItem,
  ttlMs: number,
): Promise<KeyedCreate | undefined> {
  const now = Date.now();
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL lock_timeout = ${KEY_WAIT_MS}`);
    await client.query('DELETE FROM idempotency_keys WHERE key = $1 AND expires_at <= $2', [
      key,
      now,
    ]);
    // Notified in this transaction: a rollback below (the key is taken) announces nothing.
    const inserted = await client.query<Item>(INSERT_ITEM, [item.name, item.stock]);
    const row = inserted.rows[0] as Item;
    const created = { id: row.id, name: row.name, stock: row.stock };
    const claimed = await client.query(
      `INSERT INTO idempotency_keys (key, fingerprint, item_id, expires_at)
       VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING`,
      [key, fingerprint(item), created.id, now + ttlMs],
    );
    if (claimed.rowCount === 1) {
      await client.query('COMMIT');
      return { outcome: 'created', item: created };
    }
    await client.query('ROLLBACK');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) return { outcome: 'in-progress' };
    throw error;
  }
  const { rows } = await client.query<Item & { fingerprint: string }>(
    `SELECT k.fingerprint, i.id, i.name, i.stock
       FROM idempotency_keys k JOIN items i ON i.id = k.item_id
      WHERE k.key = $1 AND k.expires_at > $2`,
    [key, now],
  );
  const found = rows[0];
  if (found === undefined) return undefined;
  if (found.fingerprint !== fingerprint(item)) return { outcome: 'mismatch' };
  return { outcome: 'replayed', item: { id: found.id, name: found.name, stock: found.stock } };
}
