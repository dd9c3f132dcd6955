import { createRequire } from 'node:module';

/**
 * The SQLite drivers the store runs on: Node's built-in `node:sqlite` (Node ≥ 22.13,
 * nothing to compile) and `better-sqlite3` (a native addon, for Node 20).
 */
export const SQLITE_DRIVERS = ['node:sqlite', 'better-sqlite3'] as const;

/** One of {@link SQLITE_DRIVERS}. */
export type SqliteDriverName = (typeof SQLITE_DRIVERS)[number];

/** A prepared statement: the part both drivers share, with positional parameters. */
export interface SqliteStatement {
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): unknown;
}

/** An open database: the part of `DatabaseSync` and `better-sqlite3`'s `Database` the store uses. */
export interface SqliteConnection {
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  close(): void;
  /** better-sqlite3: a transaction is open. */
  readonly inTransaction?: boolean;
  /** node:sqlite (Node ≥ 22.16): a transaction is open. */
  readonly isTransaction?: boolean;
}

/**
 * Whether `db` has a transaction open, as either driver tells it; `undefined`
 * where the driver cannot tell (node:sqlite before Node 22.16). SQLite ends a
 * transaction by itself on some errors (SQLITE_FULL, SQLITE_IOERR, …), so
 * this says whether a ROLLBACK is still due.
 */
export function inTransaction(db: SqliteConnection): boolean | undefined {
  if (typeof db.inTransaction === 'boolean') return db.inTransaction;
  if (typeof db.isTransaction === 'boolean') return db.isTransaction;
  return undefined;
}

type Open = (path: string) => SqliteConnection;

/**
 * Loads `node:sqlite` without its one-time "SQLite is an experimental feature"
 * warning (Node 22 prints it on stderr; the API we use is the stable part).
 * `undefined` when this Node has no `node:sqlite` (Node 20, or 22 before 22.13).
 */
function loadNodeSqlite(): Open | undefined {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const type = typeof rest[0] === 'object' ? (rest[0] as { type?: string })?.type : rest[0];
    if (type === 'ExperimentalWarning' && String(warning).includes('SQLite')) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    const sqlite = process.getBuiltinModule?.('node:sqlite') as
      | { DatabaseSync: new (path: string) => SqliteConnection }
      | undefined;
    return sqlite === undefined ? undefined : (path) => new sqlite.DatabaseSync(path);
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** Loads `better-sqlite3`; throws when it is not installed or not built for this Node. */
function loadBetterSqlite3(): Open {
  const Database = createRequire(import.meta.url)('better-sqlite3') as new (
    path: string,
  ) => SqliteConnection;
  return (path) => new Database(path);
}

const loaded = new Map<SqliteDriverName, Open>();

function load(driver: SqliteDriverName): Open {
  let open = loaded.get(driver);
  if (open === undefined) {
    open = driver === 'node:sqlite' ? loadNodeSqlite() : loadBetterSqlite3();
    if (open === undefined) {
      throw new Error(
        `node:sqlite is not available on Node ${process.versions.node}: it needs Node ≥ 22.13`,
      );
    }
    // better-sqlite3 loads its native part on first open: a build for another Node fails here.
    open(':memory:').close();
    loaded.set(driver, open);
  }
  return open;
}

/**
 * Reads the `SQLITE_DRIVER` setting: `node:sqlite`, `better-sqlite3`, or unset/empty
 * for the default. Anything else throws an error that lists what is accepted.
 */
export function parseSqliteDriver(value: string | undefined): SqliteDriverName | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const name = value.trim();
  if ((SQLITE_DRIVERS as readonly string[]).includes(name)) return name as SqliteDriverName;
  throw new Error(
    `SQLITE_DRIVER ${JSON.stringify(value)} is not supported: use ${SQLITE_DRIVERS.join(' or ')}`,
  );
}

/**
 * The driver the store uses: the one `SQLITE_DRIVER` names, else `node:sqlite` where
 * this Node has it, else `better-sqlite3`. Throws a clear error when the chosen
 * driver cannot load (e.g. Node 20 without a built `better-sqlite3`).
 *
 * @example
 * sqliteDriver(); // 'node:sqlite' on Node 22.13+, 'better-sqlite3' on Node 20
 */
export function sqliteDriver(
  requested = parseSqliteDriver(process.env.SQLITE_DRIVER),
): SqliteDriverName {
  const driver = requested ?? (loadNodeSqlite() === undefined ? 'better-sqlite3' : 'node:sqlite');
  try {
    load(driver);
  } catch (error) {
    throw new Error(
      `items-api cannot open SQLite with ${driver} on Node ${process.versions.node}. ` +
        'Use Node ≥ 22.13 (built-in node:sqlite), or on Node 20 run `pnpm install` with that Node ' +
        `so that better-sqlite3 is built for it. Cause: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return driver;
}

/**
 * The drivers that load on this Node: `node:sqlite` from Node 22.13, `better-sqlite3`
 * where it is built for this Node.
 *
 * @example
 * availableSqliteDrivers(); // ['node:sqlite'] on Node 26 after a plain `pnpm install`
 */
export function availableSqliteDrivers(): SqliteDriverName[] {
  return SQLITE_DRIVERS.filter((driver) => {
    try {
      return sqliteDriver(driver) === driver;
    } catch {
      return false;
    }
  });
}

/**
 * Opens the SQLite database at `path` (`':memory:'` for a private one) with
 * `driver` (default: {@link sqliteDriver}).
 *
 * @example
 * const db = openSqliteConnection('./data/items.db');
 * db.prepare('SELECT 1 AS one').get(); // { one: 1 }
 */
export function openSqliteConnection(
  path: string,
  driver: SqliteDriverName = sqliteDriver(),
): SqliteConnection {
  return load(sqliteDriver(driver))(path);
}
