import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { environKeys } from '@tsgi/spec';
import { createClient } from '@tsgi/test-client';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { guarded } from '../../../tools/test-support/index.ts';
import { runCli, startCli, stopAll } from './support/processes.js';

let cwd: string;
beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'items-api-cli-'));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
afterEach(() => stopAll());

describe('items-api --help and usage errors', () => {
  test('--help explains every mode, option and variable', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const word of [
      '--mode server',
      '--mode demo',
      '--mode environ',
      'migrate',
      '--host',
      '--port',
      '--workers',
      '--socket',
      '--protocol',
      '--environ on|off',
      'ITEMS_ENVIRON',
      'DATABASE_URL',
      'DATABASE_POOL_SIZE',
      'DATABASE_CONNECT_TIMEOUT_MS',
      'DATABASE_STATEMENT_TIMEOUT_MS',
      'Idempotency-Key',
      'CORS_ORIGINS',
      'REQUEST_ID_TRUST_PROXY',
      'NODE_ENV',
      'TSGI_BIN',
    ]) {
      expect(stdout).toContain(word);
    }
  });

  test.each([
    [['--mode', 'bogus'], /--mode must be one of server, demo, environ, got "bogus"/],
    [['--mode', 'demo', '--workers', '2'], /--workers only applies to --mode server/],
    [['--mode', 'server', '--port', '70000'], /--port must be a whole number from 0 to 65535/],
    [['--mode', 'server', '--protocol', 'scgi'], /--protocol must be one of http, uwsgi, fastcgi/],
    [['--mode', 'server', '--workers', '0'], /--workers must be a whole number from 1/],
    [['--mode', 'demo', '--environ', 'on'], /--environ only applies to --mode server/],
    [['--mode', 'server', '--environ', 'maybe'], /--environ must be on or off, got "maybe"/],
    [['serve'], /unknown command "serve"/],
    [['--nope'], /Unknown option '--nope'/],
  ])('%j exits 2 naming the problem', async (args, message) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toContain('items-api --help');
  });
});

describe('items-api --mode environ', () => {
  test("prints every key of environKeys from @tsgi/spec (the data of SPEC.md's table), with its meaning", async () => {
    const { code, stdout } = await runCli(['--mode', 'environ']);
    expect(code).toBe(0);
    expect(environKeys.length).toBeGreaterThan(20);
    for (const { key } of environKeys)
      expect(stdout).toMatch(new RegExp(`^  ${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `, 'm'));
    expect(stdout).toContain('The request method, as sent (case-sensitive)');
    expect(stdout).not.toContain('`');
  });

  test('is the default mode, as in the tutorial', async () => {
    const { code, stdout } = await runCli([]);
    expect(code).toBe(0);
    expect(stdout).toContain('REQUEST_METHOD');
  });
});

describe('items-api migrate', () => {
  test('creates ./data/items.db in the working directory, then finds it up to date', async () => {
    const first = await runCli(['migrate'], { cwd });
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      'migrate: sqlite ./data/items.db: applied 001-create-items, 002-seed-items, 003-create-idempotency-keys\n',
    );
    expect(existsSync(join(cwd, 'data', 'items.db'))).toBe(true);
    const second = await runCli(['migrate'], { cwd });
    expect(second.stdout).toBe('migrate: sqlite ./data/items.db is up to date\n');
  });

  test('a bad DATABASE_URL is an error that says what is accepted', async () => {
    const { code, stderr } = await runCli(['migrate'], {
      env: { DATABASE_URL: 'mysql://db/items' },
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /DATABASE_URL "mysql:\/\/db\/items" is not supported: use sqlite:<path>/,
    );
  });
});

describe('items-api --mode server and --mode demo', () => {
  test('the demo against a running server shows every call green; Ctrl+C stops it cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'items-api-server-'));
    await guarded(
      async () => {
        const server = startCli(['--mode', 'server', '--port', '0'], { cwd: dir });
        const [, port] = await server.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
        expect(server.output()).toContain(
          'applied 001-create-items, 002-seed-items, 003-create-idempotency-keys',
        );
        const demo = await runCli(['--mode', 'demo', '--port', port ?? '']);
        expect(demo.code).toBe(0);
        const calls = demo.stdout.split('\n').filter((line) => /^(✅|❌) /.test(line));
        expect(calls).toHaveLength(8);
        expect(calls.every((line) => line.startsWith('✅'))).toBe(true);
        expect(demo.stdout).toMatch(/✅ GET \/health\n {3}HTTP 200 → \{"status":"ok"/);
        expect(demo.stdout).toMatch(
          /✅ POST \/items \{"name":"无线鼠标","stock":8\}\n {3}HTTP 201 → \{"item":\{"id":4,"name":"无线鼠标","stock":8\}\}\n {3}X-Process-Time: \d+\.\d\dms/,
        );
        expect(demo.stdout).toContain(
          '✅ GET /notfound (expected 404)\n   HTTP 404 → {"error":"路径 /notfound 不存在"}',
        );
        expect(demo.stdout).toContain('[2] 机械键盘 (库存: 12)');
        expect(demo.stdout).toContain('All calls answered as expected.');
        // The timing log lines go to the server's stderr.
        await server.waitFor(/\] GET \/notfound → \d+\.\dms/);
        server.child.kill('SIGINT');
        await server.waitFor(/stopped/);
        const code = await new Promise((resolve) => {
          if (server.child.exitCode !== null) resolve(server.child.exitCode);
          else server.child.once('exit', (c) => resolve(c));
        });
        expect(code).toBe(0);
      },
      () => rmSync(dir, { recursive: true, force: true }),
    );
  });

  test('/environ is off with NODE_ENV=production (404, the demo still green) unless --environ on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'items-api-environ-'));
    await guarded(
      async () => {
        const production = { env: { NODE_ENV: 'production' }, cwd: dir };
        const off = startCli(['--mode', 'server', '--port', '0'], production);
        const [, offPort] = await off.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
        expect(off.output()).toContain('(GET /environ is off: --environ on enables it)');
        const missing = await createClient(`http://127.0.0.1:${offPort}`).get('/environ');
        expect(missing.status).toBe(404);
        expect(await missing.json()).toEqual({ error: '路径 /environ 不存在' });
        const demo = await runCli(['--mode', 'demo', '--port', offPort ?? '']);
        expect(demo.stdout).toContain(
          '✅ GET /environ (/environ is off on this server (ITEMS_ENVIRON))',
        );
        expect(demo.code).toBe(0);
        await off.stop();

        const on = startCli(['--mode', 'server', '--port', '0', '--environ', 'on'], production);
        const [, onPort] = await on.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
        expect(on.output()).toContain('| GET /environ\n');
        const shown = await createClient(`http://127.0.0.1:${onPort}`).get('/environ', {
          headers: { 'x-api-key': 'k-s3cret' },
        });
        expect(shown.status).toBe(200);
        const { environ } = (await shown.json()) as { environ: Record<string, unknown> };
        expect(environ.HTTP_X_API_KEY).toBe('[redacted]');
        expect(environ.REQUEST_METHOD).toBe('GET');
      },
      () => rmSync(dir, { recursive: true, force: true }),
    );
  });

  test('the demo against no server is red and exits 1', async () => {
    const demo = await runCli(['--mode', 'demo', '--port', '1']);
    expect(demo.code).toBe(1);
    expect(demo.stdout).toContain('❌ GET /health');
    expect(demo.stdout).toContain('cannot reach http://127.0.0.1:1');
    expect(demo.stdout).not.toContain('✅');
  });

  test('--workers 2: every worker sees each POST at once (one SQLite file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'items-api-workers-'));
    await guarded(
      async () => {
        const server = startCli(['--mode', 'server', '--port', '0', '--workers', '2'], {
          cwd: dir,
        });
        await server.waitFor(/worker.*ready[\s\S]*worker.*ready/);
        const [, port] = await server.waitFor(
          /listening on http:\/\/127\.0\.0\.1:(\d+) \(http, 2 workers\)/,
        );
        const base = `http://127.0.0.1:${port}`;
        const environ = (await (await createClient(base).get('/environ')).json()) as {
          environ: Record<string, unknown>;
        };
        expect(environ.environ['tsgi.multiprocess']).toBe(true);
        const pids = new Set<number>();
        for (let round = 1; round <= 3; round++) {
          // A fresh client (and connection) per request, so the kernel spreads them over both workers.
          const created = await createClient(base).post('/items', {
            json: { name: `item ${round}`, stock: round },
          });
          expect(created.status).toBe(201);
          // At least 6 reads per round; more (bounded) until both workers have answered.
          for (let i = 0; i < 6 || (round === 3 && pids.size < 2 && i < 200); i++) {
            const listed = (await (
              await createClient(base).get('/items', { headers: { connection: 'close' } })
            ).json()) as { total: number };
            expect(listed.total).toBe(3 + round);
            const health = (await (
              await createClient(base).get('/health', { headers: { connection: 'close' } })
            ).json()) as { pid: number };
            pids.add(health.pid);
          }
        }
        // Both workers answered.
        expect(pids.size).toBe(2);
      },
      () => rmSync(dir, { recursive: true, force: true }),
    );
  });
});
