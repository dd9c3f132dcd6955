import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { ItemStore } from '../../src/store/store.js';
import { createDatabase } from './postgres.js';

/** A fresh, migrated database and the store open on it. */
export interface FreshStore {
  url: string;
  store: ItemStore;
}

/** One kind of database the shared suites run against. */
export interface StoreFixture {
  kind: 'sqlite' | 'postgres';
  /** Starts what the kind needs (a temp dir, a PostgreSQL server). */
  setup(): Promise<void>;
  /** Closes every store opened and stops/removes everything `setup` made. */
  teardown(): Promise<void>;
  /** A new empty database URL (not migrated). */
  newUrl(): Promise<string>;
  /** A new database, migrated, with a store open on it (closed in teardown). */
  fresh(): Promise<FreshStore>;
}

function fixture(
  kind: StoreFixture['kind'],
  start: () => Promise<{ newUrl(): Promise<string>; stop(): void }>,
): StoreFixture {
  let started: Awaited<ReturnType<typeof start>> | undefined;
  const open: ItemStore[] = [];
  const newUrl = () => {
    if (started === undefined) throw new Error(`${kind} fixture used before setup()`);
    return started.newUrl();
  };
  return {
    kind,
    async setup() {
      started = await start();
    },
    async teardown() {
      await Promise.all(open.splice(0).map((store) => store.close().catch(() => {})));
      started?.stop();
      started = undefined;
    },
    newUrl,
    async fresh() {
      const url = await newUrl();
      const store = openStore(url);
      open.push(store);
      await store.migrate();
      return { url, store };
    },
  };
}

/** SQLite files in a temp dir, one per `newUrl()`. */
export const sqliteFixture = (): StoreFixture =>
  fixture('sqlite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'items-api-sqlite-'));
    let n = 0;
    return {
      newUrl: async () => `sqlite:${join(dir, `items-${++n}.db`)}`,
      stop: () => rmSync(dir, { recursive: true, force: true }),
    };
  });

/**
 * The real PostgreSQL the global setup started on loopback (shared by the test
 * files), one new database per `newUrl()`.
 */
export const postgresFixture = (): StoreFixture =>
  fixture('postgres', async () => {
    const serverUrl = inject('postgresUrl');
    return { newUrl: () => createDatabase(serverUrl), stop: () => {} };
  });

/** Both kinds, for `describe.each`. */
export const allFixtures = (): StoreFixture[] => [sqliteFixture(), postgresFixture()];
