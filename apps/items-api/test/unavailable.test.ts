import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@tsgi/test-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bound, guarded } from '../../../tools/test-support/index.ts';
import { createApp } from '../src/app.js';
import { openPostgresStore } from '../src/store/postgres.js';
import { postgresOptionsFromEnv } from '../src/store/postgres-options.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { availableSqliteDrivers, openSqliteConnection } from '../src/store/sqlite-driver.js';
import {
  DatabaseFullError,
  DatabaseUnavailableError,
  guarded as guardedPostgres,
  isUnavailable,
} from '../src/store/unavailable.js';
import { socketPath } from './support/postgres.js';
import { postgresFixture } from './support/stores.js';

describe('the PostgreSQL settings', () => {
  test('come from DATABASE_POOL_SIZE and the two timeouts; unset keeps the defaults', () => {
    expect(postgresOptionsFromEnv({})).toEqual({});
    expect(
      postgresOptionsFromEnv({
        DATABASE_POOL_SIZE: '4',
        DATABASE_CONNECT_TIMEOUT_MS: '',
        DATABASE_STATEMENT_TIMEOUT_MS: '800',
      }),
    ).toEqual({ poolSize: 4, statementTimeoutMs: 800 });
  });

  test.each([
    [
      'DATABASE_POOL_SIZE',
      '0',
      'DATABASE_POOL_SIZE must be a whole number from 1 to 1000, got "0"',
    ],
    [
      'DATABASE_CONNECT_TIMEOUT_MS',
      '2s',
      'DATABASE_CONNECT_TIMEOUT_MS must be a whole number from 1 to 600000, got "2s"',
    ],
  ])('%s=%s is refused', (name, value, message) => {
    expect(() => postgresOptionsFromEnv({ [name]: value })).toThrow(message);
  });

  test('a constraint error is a bug, a timeout or a lost connection is unavailability', () => {
    expect(isUnavailable(Object.assign(new Error('x'), { code: '23514' }))).toBe(false);
    expect(isUnavailable(Object.assign(new Error('x'), { code: '57014' }))).toBe(true);
    expect(isUnavailable(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  test("PostgreSQL's disk_full (53100) is a full database (507), another class 53 a 503", async () => {
    const failing = (code: string) => () =>
      Promise.reject(Object.assign(new Error('could not extend file'), { code }));
    const full = await guardedPostgres(failing('53100')).catch((error: unknown) => error);
    expect(full).toBeInstanceOf(DatabaseFullError);
    expect(full).toMatchObject({
      status: 507,
      message: 'database storage full: could not extend file',
    });
    const busy = await guardedPostgres(failing('53300')).catch((error: unknown) => error);
    expect(busy).toBeInstanceOf(DatabaseUnavailableError);
    expect(busy).not.toBeInstanceOf(DatabaseFullError);
    expect(busy).toMatchObject({ status: 503 });
  });
});

/**
 * A TCP relay on loopback (a port the kernel picks) to the real PostgreSQL's
 * Unix socket that can be cut: cutting destroys the relayed connections and
 * leaves new ones unanswered, as a database behind a dead link does.
 */
function relay(target: string): Promise<{ port: number; cut(on: boolean): void; close(): void }> {
  let cut = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    if (cut) return;
    const upstream = connect(target);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => socket.destroy());
    socket.pipe(upstream).pipe(socket);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : 0,
        cut(on) {
          cut = on;
          if (on) for (const socket of sockets) socket.destroy();
        },
        close() {
          for (const socket of sockets) socket.destroy();
          server.close();
        },
      });
    });
  });
}

describe('PostgreSQL out of reach', () => {
  const fixture = postgresFixture();
  beforeAll(() => fixture.setup());
  afterAll(() => fixture.teardown());

  test('answers 503 JSON within the timeouts, /health says so, and it recovers by itself', async () => {
    const { url } = await fixture.fresh();
    const link = await relay(socketPath(url));
    const viaRelay = new URL(url);
    viaRelay.hostname = '127.0.0.1';
    viaRelay.port = String(link.port);
    viaRelay.searchParams.delete('host');
    // Short enough that each cut request fails fast, long enough (and scaled) for a busy
    // machine to connect through the relay once it is mended.
    const timeoutMs = bound(2000);
    const store = openPostgresStore(viaRelay.toString(), {
      poolSize: 2,
      connectTimeoutMs: timeoutMs,
      statementTimeoutMs: timeoutMs,
    });
    const client = createClient(createApp({ store, validate: true, log: false }));
    await guarded(
      async () => {
        expect((await client.get('/health')).status).toBe(200);
        link.cut(true);
        for (const path of ['/items', '/items/1', '/health']) {
          const response = await client.get(path);
          expect(response.status).toBe(503);
          expect(await response.json()).toMatchObject({
            error:
              path === '/health'
                ? 'database unreachable'
                : 'database unavailable; try again shortly',
          });
        }
        const post = await client.post('/items', {
          json: { name: 'x' },
          headers: { 'Idempotency-Key': 'k' },
        });
        expect(post.status).toBe(503);
        link.cut(false);
        const after = await client.post('/items', {
          json: { name: 'x' },
          headers: { 'Idempotency-Key': 'k' },
        });
        expect(after.status).toBe(201);
        expect((await client.get('/health')).status).toBe(200);
      },
      () => store.close(),
      () => link.close(),
    );
  });
});

describe.each(availableSqliteDrivers())('SQLite (%s) locked past its busy timeout', (driver) => {
  test('a POST is a 503 JSON naming SQLITE_BUSY in the log; the same store serves once the lock is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'items-api-busy-'));
    const path = join(dir, 'items.db');
    const store = openSqliteStore(path, driver);
    const holder = openSqliteConnection(path, driver);
    await guarded(
      async () => {
        await store.migrate();
        const client = createClient(createApp({ store, validate: true, log: false }));
        // Another process's writer that keeps the lock longer than the store waits (5 s).
        holder.exec('BEGIN IMMEDIATE');
        const refused = await client.post('/items', { json: { name: 'x' } });
        expect(refused.status).toBe(503);
        expect(refused.headers.get('retry-after')).toBe('1');
        expect(await refused.json()).toEqual({ error: 'database unavailable; try again shortly' });
        expect(client.errors).toMatch(/POST \/items: database unavailable: .*\(SQLITE_BUSY\)/);
        // Readers are never blocked by a writer in WAL mode.
        expect((await client.get('/items')).status).toBe(200);
        holder.exec('ROLLBACK');
        const created = await client.post('/items', { json: { name: 'x' } });
        expect(created.status).toBe(201);
        expect((await store.list(1, 0)).total).toBe(4);
      },
      () => holder.close(),
      () => store.close(),
      () => rmSync(dir, { recursive: true, force: true }),
    );
  });
});
