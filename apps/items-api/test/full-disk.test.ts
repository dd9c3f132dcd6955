import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type TsgiServer } from '@tsgi/node';
import { describe, expect, test } from 'vitest';
import { guarded } from '../../../tools/test-support/index.ts';
import { createApp } from '../src/app.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { availableSqliteDrivers } from '../src/store/sqlite-driver.js';
import { type Reply, send } from './support/send.js';

/** Mounting a tmpfs needs root (CI and the dev machines run as root). */
const isRoot = process.getuid?.() === 0;

/** The small file system the database lives on: full after a few dozen commits. */
const TMPFS_SIZE = '2m';
/** Room left beside the filler: some 90 WAL frames of 4 KiB, filled over several rounds. */
const LEFT_FREE = 384 * 1024;
/** Concurrent POSTs per round, and the most rounds: the disk is full long before. */
const CONCURRENCY = 16;
const MAX_ROUNDS = 40;

/** A tmpfs of {@link TMPFS_SIZE} mounted on a fresh temp directory. */
function mountTmpfs(): { dir: string; unmount(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'items-api-full-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_SIZE}`, 'tmpfs', dir]);
  return {
    dir,
    unmount() {
      execFileSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Fills `dir`'s file system but for `leave` bytes with one file; returns its path. */
function fill(dir: string, leave: number): string {
  const { bavail, bsize } = statfsSync(dir);
  const filler = join(dir, 'filler');
  writeFileSync(filler, Buffer.alloc(Math.max(0, bavail * bsize - leave)));
  return filler;
}

const json = (reply: Reply): Record<string, unknown> => JSON.parse(reply.body.toString());

const post = (port: number, n: number, key?: string) =>
  send(port, 'POST', '/items', {
    body: JSON.stringify({ name: `item ${n} ${'x'.repeat(150)}`, stock: n }),
    headers: {
      'content-type': 'application/json',
      ...(key === undefined ? {} : { 'idempotency-key': key }),
    },
  });

describe.skipIf(!isRoot)('a full disk under the SQLite database (needs root for tmpfs)', () => {
  test.each(availableSqliteDrivers())(
    '%s: no 201 for an unstored item, 507 JSON while full, service back once space is',
    async (driver) => {
      const tmpfs = mountTmpfs();
      const store = openSqliteStore(join(tmpfs.dir, 'items.db'), driver);
      let server: TsgiServer | undefined;
      let log = '';
      await guarded(
        async () => {
          await store.migrate();
          server = await serve(createApp({ store, validate: true, log: false }), {
            host: '127.0.0.1',
            port: 0,
            errors: {
              write: (text: string) => {
                log += text;
                return true;
              },
            },
          });
          const port = server.address.port ?? 0;
          const filler = fill(tmpfs.dir, LEFT_FREE);

          // Concurrent POSTs, half of them keyed, until well past the first refusal.
          const replies: { reply: Reply; key?: string }[] = [];
          let n = 0;
          for (let round = 0; round < MAX_ROUNDS; round++) {
            const batch = Array.from({ length: CONCURRENCY }, () => {
              const i = ++n;
              const key = i % 2 === 0 ? `key-${i}` : undefined;
              return post(port, i, key).then((reply) => ({ reply, key }));
            });
            replies.push(...(await Promise.all(batch)));
            if (replies.filter(({ reply }) => reply.status >= 500).length >= 3 * CONCURRENCY) break;
          }
          const created = replies.filter(({ reply }) => reply.status === 201);
          const refused = replies.filter(({ reply }) => reply.status !== 201);
          expect(created.length).toBeGreaterThan(0);
          expect(refused.length).toBeGreaterThanOrEqual(3 * CONCURRENCY);

          // Every 201 reads back, with the same item; nothing else was stored.
          for (const { reply } of created) {
            const location = String(reply.headers.location);
            const back = await send(port, 'GET', location);
            expect(back.status, `GET ${location}`).toBe(200);
            expect(json(back)).toEqual(json(reply));
          }
          const listed = json(await send(port, 'GET', '/items?limit=1'));
          expect(listed.total).toBe(3 + created.length);

          // Every refusal is a 5xx JSON naming the problem; a full disk is a 507 with Retry-After.
          for (const { reply } of refused) {
            expect(reply.status, reply.body.toString()).toBeGreaterThanOrEqual(500);
            expect(reply.headers['content-type']).toMatch(/^application\/json/);
            expect(json(reply).error).toEqual(expect.any(String));
          }
          const full = refused.filter(({ reply }) => reply.status === 507);
          expect(full.length).toBeGreaterThan(0);
          for (const { reply } of full) {
            expect(json(reply).error).toBe(
              'database storage is full; nothing was stored, try again later',
            );
            expect(reply.headers['retry-after']).toBe('30');
          }
          // Keyed refusals too: the log names the real cause, never a failed ROLLBACK.
          expect(full.some(({ key }) => key !== undefined)).toBe(true);
          expect(log).toMatch(/POST \/items: database storage full: database or disk is full/);
          expect(log).not.toMatch(/cannot rollback|no transaction is active/);

          // Space returns: the same store and server serve again, no restart.
          rmSync(filler);
          const refusedKey = full.find(({ key }) => key !== undefined)?.key;
          const again = await post(port, 0, refusedKey);
          expect(again.status, again.body.toString()).toBe(201);
          expect(again.headers['idempotent-replayed']).toBeUndefined();
          const next = await post(port, 1);
          expect(next.status, next.body.toString()).toBe(201);
          const readBack = await send(port, 'GET', String(next.headers.location));
          expect(json(readBack)).toEqual(json(next));
          expect((await send(port, 'GET', '/health')).status).toBe(200);
          expect(json(await send(port, 'GET', '/items?limit=1')).total).toBe(
            3 + created.length + 2,
          );
        },
        () => server?.close({ timeout: 500 }),
        () => store.close(),
        () => tmpfs.unmount(),
      );
    },
  );
});
