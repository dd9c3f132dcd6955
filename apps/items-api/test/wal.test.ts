import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type TsgiServer } from '@tsgi/node';
import { afterAll, describe, expect, test } from 'vitest';
import { guarded } from '../../../tools/test-support/index.ts';
import { createApp } from '../src/app.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { availableSqliteDrivers } from '../src/store/sqlite-driver.js';
import { startCli, stopAll } from './support/processes.js';
import { send } from './support/send.js';

/** The bound the WAL must stay under, however many writes go through. */
const WAL_BOUND = 16 * 1024 * 1024;
/** Writes in all, the first {@link OVER_HTTP} of them as POSTs over loopback. */
const WRITES = 20_000;
const OVER_HTTP = 2_000;
const CONCURRENCY = 20;

const walSize = (db: string): number => (existsSync(`${db}-wal`) ? statSync(`${db}-wal`).size : 0);

const post = (port: number, n: number) =>
  send(port, 'POST', '/items', {
    body: JSON.stringify({ name: `item ${n}`, stock: n }),
    headers: {
      'content-type': 'application/json',
      ...(n % 2 === 0 ? { 'idempotency-key': `key-${n}` } : {}),
    },
  });

describe.each(availableSqliteDrivers())('the SQLite WAL on %s', (driver) => {
  const dirs: string[] = [];
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'items-api-wal-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    await stopAll();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  test(`${WRITES} writes (${OVER_HTTP} over HTTP) leave it under 16 MiB`, async () => {
    const path = join(newDir(), 'items.db');
    const store = openSqliteStore(path, driver);
    let server: TsgiServer | undefined;
    await guarded(
      async () => {
        await store.migrate();
        server = await serve(createApp({ store, validate: false, log: false }), {
          host: '127.0.0.1',
          port: 0,
          errors: { write: () => true },
        });
        const port = server.address.port ?? 0;
        let largest = 0;
        for (let n = 0; n < OVER_HTTP; n += CONCURRENCY) {
          const batch = Array.from({ length: CONCURRENCY }, (_, i) => post(port, n + i));
          const statuses = (await Promise.all(batch)).map((reply) => reply.status);
          expect(new Set(statuses)).toEqual(new Set([201]));
          largest = Math.max(largest, walSize(path));
        }
        for (let n = OVER_HTTP; n < WRITES; n++) {
          await store.create({ name: `item ${n}`, stock: n });
          if (n % 1000 === 0) largest = Math.max(largest, walSize(path));
        }
        largest = Math.max(largest, walSize(path));
        expect((await store.list(1, 0)).total).toBe(3 + WRITES);
        expect(largest).toBeLessThan(WAL_BOUND);
      },
      () => server?.close({ timeout: 500 }),
      () => store.close(),
    );
    // The last connection to close copies the WAL into the database and removes it.
    expect(walSize(path)).toBe(0);
  });

  test('a graceful stop of the server checkpoints it away', async () => {
    const dir = newDir();
    const path = join(dir, 'items.db');
    const server = startCli(['--mode', 'server', '--port', '0'], {
      cwd: dir,
      env: { DATABASE_URL: `sqlite:${path}`, SQLITE_DRIVER: driver },
    });
    const [, port] = await server.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
    for (let n = 0; n < 50; n++) expect((await post(Number(port), n)).status).toBe(201);
    expect(walSize(path)).toBeGreaterThan(0);
    const exited = new Promise((resolve) => {
      if (server.child.exitCode !== null) resolve(server.child.exitCode);
      else server.child.once('exit', resolve);
    });
    server.child.kill('SIGTERM');
    await server.waitFor(/stopped/);
    await exited;
    expect(walSize(path)).toBe(0);
  });
});
