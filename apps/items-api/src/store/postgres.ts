import pg from 'pg';
import { MIGRATIONS, MIGRATIONS_TABLE, SEED_ITEMS } from './migrations.js';
import type { Item, ItemPage, ItemStore, NewItem } from './store.js';

/** The advisory lock key that serialises `migrate()` across processes and machines. */
const MIGRATE_LOCK = 8_030_002;

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /** Connections per process. Default 10. */
  max?: number;
}

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
 * only one applies each step.
 *
 * @example
 * const store = openPostgresStore(process.env.DATABASE_URL!);
 * await store.migrate();
 */
export function openPostgresStore(url: string, options: PostgresStoreOptions = {}): ItemStore {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle client losing its connection must not crash the worker; the next query reconnects.
  pool.on('error', () => {});

  return {
    kind: 'postgres',
    location: redactUrl(url),
    async migrate() {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATE_LOCK]);
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
        client.release();
      }
    },
    async list(limit: number, offset: number): Promise<ItemPage> {
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
    },
    async get(id: number) {
      const { rows } = await pool.query<Item>('SELECT id, name, stock FROM items WHERE id = $1', [
        id,
      ]);
      return rows[0];
    },
    async create(item: NewItem) {
      const { rows } = await pool.query<Item>(
        'INSERT INTO items (name, stock) VALUES ($1, $2) RETURNING id, name, stock',
        [item.name, item.stock],
      );
      const created = rows[0];
      if (created === undefined)
        throw new Error('PostgreSQL returned no row for INSERT … RETURNING');
      return created;
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    close: () => pool.end(),
  };
}
