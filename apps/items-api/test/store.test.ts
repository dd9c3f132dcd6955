import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { guarded } from '../../../tools/test-support/index.ts';
import { MIGRATIONS } from '../src/store/migrations.js';
import { openStore, parseDatabaseUrl } from '../src/store/open-store.js';
import { redactUrl } from '../src/store/postgres.js';
import {
  availableSqliteDrivers,
  inTransaction,
  openSqliteConnection,
  parseSqliteDriver,
  type SqliteConnection,
  type SqliteDriverName,
  sqliteDriver,
} from '../src/store/sqlite-driver.js';
import { transaction } from '../src/store/sqlite-transaction.js';
import { runCli } from './support/processes.js';
import { postgresFixture, type StoreFixture, sqliteFixture } from './support/stores.js';

const SEED_NAMES = ['MacBook Pro', '机械键盘', '显示器'];

describe('DATABASE_URL', () => {
  test.each([
    ['sqlite:./data/items.db', { kind: 'sqlite', path: './data/items.db' }],
    ['sqlite:/var/lib/items-api/items.db', { kind: 'sqlite', path: '/var/lib/items-api/items.db' }],
    [
      'sqlite:///var/lib/items-api/items.db',
      { kind: 'sqlite', path: '/var/lib/items-api/items.db' },
    ],
    ['sqlite::memory:', { kind: 'sqlite', path: ':memory:' }],
    ['postgres://u:p@db:5432/items', { kind: 'postgres', url: 'postgres://u:p@db:5432/items' }],
    ['postgresql://db/items', { kind: 'postgres', url: 'postgresql://db/items' }],
  ])('%s', (url, target) => {
    expect(parseDatabaseUrl(url)).toEqual(target);
  });

  test('the default is ./data/items.db', () => {
    expect(parseDatabaseUrl()).toEqual({ kind: 'sqlite', path: './data/items.db' });
  });

  test.each(['mysql://db/items', 'items.db', 'sqlite:'])(
    '%s is refused with what is accepted',
    (url) => {
      expect(() => parseDatabaseUrl(url)).toThrow(/sqlite:|names no SQLite file/);
    },
  );

  test('passwords never show in the location', () => {
    expect(redactUrl('postgres://app:s3cret@db.internal:5432/items')).toBe(
      'postgres://app@db.internal:5432/items',
    );
  });
});

/** The SQLite drivers that load on this Node (node:sqlite from 22.13; better-sqlite3 where built). */
const drivers = availableSqliteDrivers();

/** Node ≥ 22.13 has node:sqlite without a flag. */
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const hasNodeSqlite = major > 22 || (major === 22 && minor >= 13);

describe('the SQLite driver', () => {
  test(`the default on Node ${process.versions.node} is ${hasNodeSqlite ? 'node:sqlite' : 'better-sqlite3'}, and it loads`, () => {
    expect(sqliteDriver(undefined)).toBe(hasNodeSqlite ? 'node:sqlite' : 'better-sqlite3');
    expect(drivers).toContain(hasNodeSqlite ? 'node:sqlite' : 'better-sqlite3');
  });

  test('SQLITE_DRIVER names one of the two, or is unset', () => {
    expect(parseSqliteDriver('node:sqlite')).toBe('node:sqlite');
    expect(parseSqliteDriver(' better-sqlite3 ')).toBe('better-sqlite3');
    expect(parseSqliteDriver(undefined)).toBeUndefined();
    expect(parseSqliteDriver('')).toBeUndefined();
    expect(() => parseSqliteDriver('sqlite3')).toThrow(
      'SQLITE_DRIVER "sqlite3" is not supported: use node:sqlite or better-sqlite3',
    );
  });

  test.runIf(!hasNodeSqlite)(
    'asking for node:sqlite where Node has none says what is needed',
    () => {
      expect(() => sqliteDriver('node:sqlite')).toThrow(
        /cannot open SQLite with node:sqlite.*Node ≥ 22\.13/,
      );
    },
  );
});

/** Each store kind, SQLite once per driver that loads here, with SQLITE_DRIVER set for the CLI runs too. */
const cases: { name: string; fixture: StoreFixture; driver?: SqliteDriverName }[] = [
  ...drivers.map((driver) => ({ name: `sqlite (${driver})`, fixture: sqliteFixture(), driver })),
  { name: 'postgres', fixture: postgresFixture() },
];

describe.each(cases)('the $name store', ({ fixture, driver }) => {
  const previous = process.env.SQLITE_DRIVER;
  beforeAll(() => {
    if (driver !== undefined) process.env.SQLITE_DRIVER = driver;
    return fixture.setup();
  });
  afterAll(async () => {
    await fixture.teardown();
    if (previous === undefined) delete process.env.SQLITE_DRIVER;
    else process.env.SQLITE_DRIVER = previous;
  });

  test('migrate applies each step once and seeds once', async () => {
    const url = await fixture.newUrl();
    const store = openStore(url);
    await guarded(
      async () => {
        expect(await store.migrate()).toEqual([
          '001-create-items',
          '002-seed-items',
          '003-create-idempotency-keys',
        ]);
        expect(await store.migrate()).toEqual([]);
        const page = await store.list(100, 0);
        expect(page.total).toBe(3);
        expect(page.items.map((item) => item.name)).toEqual(SEED_NAMES);
      },
      () => store.close(),
    );
  });

  test('six `items-api migrate` processes at once seed the database exactly once', async () => {
    const url = await fixture.newUrl();
    const runs = await Promise.all(
      Array.from({ length: 6 }, () => runCli(['migrate'], { env: { DATABASE_URL: url } })),
    );
    for (const run of runs) expect(run.stderr).toBe('');
    expect(runs.map((run) => run.code)).toEqual([0, 0, 0, 0, 0, 0]);
    const applied = runs.filter((run) =>
      run.stdout.includes('applied 001-create-items, 002-seed-items, 003-create-idempotency-keys'),
    );
    const upToDate = runs.filter((run) => run.stdout.includes('is up to date'));
    expect([applied.length, upToDate.length]).toEqual([1, 5]);
    const store = openStore(url);
    await guarded(
      async () => {
        const page = await store.list(100, 0);
        expect(page.items.map((item) => item.name)).toEqual(SEED_NAMES);
      },
      () => store.close(),
    );
  });

  test('items survive closing and reopening the store', async () => {
    const url = await fixture.newUrl();
    const first = openStore(url);
    await first.migrate();
    const created = await first.create({ name: 'Dock', stock: 2 });
    await first.close();
    const second = openStore(url);
    await guarded(
      async () => {
        expect(await second.migrate()).toEqual([]);
        expect(await second.get(created.id)).toEqual({ id: 4, name: 'Dock', stock: 2 });
        expect((await second.list(100, 0)).total).toBe(4);
      },
      () => second.close(),
    );
  });

  test('the database refuses a negative stock even past the app', async () => {
    const { store } = await fixture.fresh();
    await expect(
      Promise.resolve().then(() => store.create({ name: 'x', stock: -1 })),
    ).rejects.toThrow(/CHECK|check/);
  });

  test('ping fails once the store is closed', async () => {
    const url = await fixture.newUrl();
    const store = openStore(url);
    await store.migrate();
    await store.ping();
    await store.close();
    await expect(Promise.resolve().then(() => store.ping())).rejects.toThrow();
  });
});

describe('SQLite specifics', () => {
  const fixture = sqliteFixture();
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());

  test('the database file is in WAL mode', async () => {
    const { url } = await fixture.fresh();
    const db = openSqliteConnection(url.slice('sqlite:'.length));
    await guarded(
      async () => {
        expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
      },
      () => db.close(),
    );
  });

  test('the directory of the database file is created', async () => {
    const url = await fixture.newUrl();
    const nested = url.replace(/items-(\d+)\.db$/, 'nested/dir/items-$1.db');
    const store = openStore(nested);
    await guarded(
      async () => {
        expect(await store.migrate()).toHaveLength(MIGRATIONS.length);
      },
      () => store.close(),
    );
  });
});

describe.each(drivers)('a SQLite transaction on %s', (driver) => {
  /** `db` as a driver that cannot tell whether a transaction is open (node:sqlite before 22.16). */
  const blind = (db: SqliteConnection): SqliteConnection => ({
    exec: (sql) => db.exec(sql),
    prepare: (sql) => db.prepare(sql),
    close: () => db.close(),
  });

  test.each([
    ['tells', (db: SqliteConnection) => db],
    ['cannot tell', blind],
  ])('that SQLite ended itself throws the real error (driver %s)', (_, view) => {
    const db = openSqliteConnection(':memory:', driver);
    try {
      db.exec('CREATE TABLE t (x)');
      // As SQLite does on SQLITE_FULL: the transaction is gone before ROLLBACK is sent.
      expect(() =>
        transaction(view(db), 'IMMEDIATE', () => {
          db.prepare('INSERT INTO t VALUES (1)').run();
          db.exec('ROLLBACK');
          throw new Error('the real cause');
        }),
      ).toThrow('the real cause');
      expect(inTransaction(db)).not.toBe(true);
      const count = () => ({ ...(db.prepare('SELECT count(*) AS n FROM t').get() as object) });
      expect(transaction(view(db), 'IMMEDIATE', count)).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  test('an error inside is rolled back and leaves no transaction open', () => {
    const db = openSqliteConnection(':memory:', driver);
    try {
      db.exec('CREATE TABLE t (x)');
      expect(() =>
        transaction(db, 'IMMEDIATE', () => {
          db.prepare('INSERT INTO t VALUES (1)').run();
          throw new Error('refused');
        }),
      ).toThrow('refused');
      expect(inTransaction(db)).toBe(false);
      expect({ ...(db.prepare('SELECT count(*) AS n FROM t').get() as object) }).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});
