import { openPostgresStore } from './postgres.js';
import { postgresOptionsFromEnv } from './postgres-options.js';
import { openSqliteStore } from './sqlite.js';
import type { ItemStore } from './store.js';

/** The database used when `DATABASE_URL` is not set, relative to the working directory. */
export const DEFAULT_DATABASE_URL = 'sqlite:./data/items.db';

/** What a `DATABASE_URL` names: a SQLite file or a PostgreSQL server. */
export type DatabaseTarget = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/**
 * Reads a `DATABASE_URL`: `sqlite:./data/items.db`, `sqlite:/var/lib/items/items.db`,
 * `sqlite:///var/lib/items/items.db`, `sqlite::memory:`, or `postgres://…` /
 * `postgresql://…`. Anything else throws an error that says what is accepted.
 */
export function parseDatabaseUrl(url: string = DEFAULT_DATABASE_URL): DatabaseTarget {
  const value = url.trim();
  if (/^postgres(ql)?:\/\//i.test(value)) return { kind: 'postgres', url: value };
  const sqlite = /^sqlite:(.*)$/i.exec(value);
  if (sqlite !== null) {
    let path = sqlite[1] ?? '';
    // sqlite:///abs/path (URL style) is /abs/path; sqlite://rel/path is rel/path.
    if (path.startsWith('//')) path = path.slice(2);
    if (path === '') throw new Error(`DATABASE_URL ${JSON.stringify(url)} names no SQLite file`);
    return { kind: 'sqlite', path };
  }
  throw new Error(
    `DATABASE_URL ${JSON.stringify(url)} is not supported: use sqlite:<path> (e.g. ${DEFAULT_DATABASE_URL}) or postgres://user:password@host:5432/db`,
  );
}

/**
 * Opens the store a `DATABASE_URL` names (default {@link DEFAULT_DATABASE_URL}).
 * A PostgreSQL pool takes its size and timeouts from `env` (`DATABASE_POOL_SIZE`,
 * `DATABASE_CONNECT_TIMEOUT_MS`, `DATABASE_STATEMENT_TIMEOUT_MS`).
 * Call `migrate()` before serving.
 *
 * @example
 * const store = openStore(process.env.DATABASE_URL);
 * await store.migrate();
 */
export function openStore(url?: string, env: NodeJS.ProcessEnv = process.env): ItemStore {
  const target = parseDatabaseUrl(url === undefined || url === '' ? DEFAULT_DATABASE_URL : url);
  return target.kind === 'postgres'
    ? openPostgresStore(target.url, postgresOptionsFromEnv(env))
    : openSqliteStore(target.path);
}
