/**
 * The PostgreSQL settings of one process, from the environment. Every worker on
 * every host opens its own pool, so `hosts × workers × poolSize` connections
 * must stay below the server's `max_connections` (100 by default).
 */
export interface PostgresStoreOptions {
  /** Connections per process (`DATABASE_POOL_SIZE`). Default 5. */
  poolSize?: number;
  /** How long to wait for a connection, pooled or new, in ms (`DATABASE_CONNECT_TIMEOUT_MS`). Default 2000. */
  connectTimeoutMs?: number;
  /** The longest a statement may run, in ms (`DATABASE_STATEMENT_TIMEOUT_MS`). Default 5000. */
  statementTimeoutMs?: number;
}

/** The defaults of {@link PostgresStoreOptions}. */
export const POSTGRES_DEFAULTS: Required<PostgresStoreOptions> = {
  poolSize: 5,
  connectTimeoutMs: 2000,
  statementTimeoutMs: 5000,
};

const VARIABLES = {
  poolSize: ['DATABASE_POOL_SIZE', 1, 1000],
  connectTimeoutMs: ['DATABASE_CONNECT_TIMEOUT_MS', 1, 600_000],
  statementTimeoutMs: ['DATABASE_STATEMENT_TIMEOUT_MS', 1, 3_600_000],
} as const;

/**
 * Reads `DATABASE_POOL_SIZE`, `DATABASE_CONNECT_TIMEOUT_MS` and
 * `DATABASE_STATEMENT_TIMEOUT_MS` (whole numbers; unset or empty for the
 * default). A bad value throws an error naming the variable and the range.
 */
export function postgresOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): PostgresStoreOptions {
  const options: PostgresStoreOptions = {};
  for (const [field, [name, min, max]] of Object.entries(VARIABLES)) {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!/^[0-9]+$/.test(raw) || value < min || value > max) {
      throw new Error(
        `${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`,
      );
    }
    options[field as keyof PostgresStoreOptions] = value;
  }
  return options;
}
