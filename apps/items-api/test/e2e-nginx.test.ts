import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createClient, type TestWebSocket, WebSocketDenied } from '@tsgi/test-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BOUNDS, guarded, until } from '../../../tools/test-support/index.ts';
import {
  envFromExample,
  type Layout,
  layout,
  type Nginx,
  read,
  renderTsgiJson,
  startNginx,
  unitCommand,
  upstreamKeepalive,
  type Variant,
} from './support/deployment.js';
import { DEPLOY_DIR } from './support/paths.js';
import { type Running, runCli, startTsgi, stopAll } from './support/processes.js';
import { type Reply, send } from './support/send.js';

/** When the last request to Nginx was sent (paced or not). */
let lastCall = 0;
/** deploy/nginx.conf allows 20 requests/s per address: the tests stay under it, except the limit_req test. */
const PACE_MS = 60;

/**
 * One request to Nginx; a fresh connection unless an agent is given. Bounded in time.
 * Paced at most one per {@link PACE_MS} unless `unpaced`.
 */
async function call(
  port: number,
  method: string,
  path: string,
  options: {
    body?: Buffer | string;
    headers?: Record<string, string>;
    agent?: Agent;
    unpaced?: boolean;
  } = {},
): Promise<Reply> {
  if (options.unpaced !== true) {
    const wait = lastCall + PACE_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  lastCall = Date.now();
  return send(port, method, path, options);
}

/**
 * How long after the last request Nginx's limit_req bucket for this client is
 * whole again: `burst` requests drain at `rate` per second (deploy/nginx.conf).
 */
function limitReqRefillMs(): number {
  const conf = read('nginx.conf');
  const rate = Number(/limit_req_zone .* rate=(\d+)r\/s/.exec(conf)?.[1]);
  const burst = Number(/limit_req zone=\S+ burst=(\d+)/.exec(conf)?.[1]);
  if (!(rate > 0 && burst > 0)) throw new Error('deploy/nginx.conf: no limit_req rate and burst');
  return Math.ceil((1000 * burst) / rate);
}

/**
 * The connections to the Unix socket `path` that process `pid` holds: its
 * sockets (by inode, from /proc/PID/fd) that Linux's /proc/net/unix lists as
 * connected (state 03) with that path. tsgi may bind a long path relative to
 * its directory, so a listed relative path matches the end of `path`.
 */
function connectionsHeldBy(pid: number, path: string): number {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (target.startsWith('socket:[')) inodes.add(target.slice(8, -1));
    } catch {
      // closed since the listing
    }
  }
  return readFileSync('/proc/net/unix', 'utf8')
    .split('\n')
    .filter((line) => {
      const fields = line.trim().split(/\s+/);
      const listed = fields[7];
      return (
        fields[5] === '03' &&
        inodes.has(fields[6] ?? '') &&
        listed !== undefined &&
        (listed === path || path.endsWith(`/${listed}`))
      );
    }).length;
}

const json = (reply: Reply) => JSON.parse(reply.body.toString('utf8')) as Record<string, unknown>;

const VARIANTS: Array<{ variant: Variant; title: string }> = [
  { variant: 'http', title: 'proxy_pass (the default)' },
  { variant: 'uwsgi', title: 'the uwsgi_pass variant' },
];

describe.each(VARIANTS)(
  'Nginx (deploy/nginx.conf, $title) → tsgi, 2 workers on a Unix socket (deploy/tsgi.json) → items-api on SQLite',
  ({ variant }) => {
    let paths: Layout;
    let env: Record<string, string>;
    let nginx: Nginx;
    let tsgi: Running;

    /**
     * Starts tsgi as the systemd unit does: ExecStartPre (migrate), then ExecStart,
     * with the env file's variables and `extra` ones added to it.
     */
    async function startService(extra: Record<string, string> = {}): Promise<Running> {
      const vars = { ...env, ...extra };
      const pre = await runCli(unitCommand('ExecStartPre', paths), { env: vars, cwd: paths.dir });
      expect(pre.code, pre.stderr).toBe(0);
      const running = startTsgi(unitCommand('ExecStart', paths), { env: vars, cwd: paths.dir });
      await running.waitFor(new RegExp(`listening on unix:\\S+ \\(${variant}, 2 workers\\)`));
      await running.waitFor(/ready[\s\S]*ready/);
      return running;
    }

    beforeAll(async () => {
      paths = layout(mkdtempSync(join(tmpdir(), 'items-api-e2e-')));
      for (const sub of ['run', 'static', 'state'])
        mkdirSync(join(paths.dir, sub), { recursive: true });
      writeFileSync(join(paths.static, 'hello.txt'), 'static, from Nginx\n');
      writeFileSync(paths.tsgiConfig, renderTsgiJson(paths, variant));
      env = envFromExample(paths);
      tsgi = await startService();
      nginx = await startNginx(paths, variant);
    });

    afterAll(() =>
      guarded(
        () => nginx?.stop(),
        () => stopAll(),
        () => rmSync(paths.dir, { recursive: true, force: true }),
      ),
    );

    test('the files are what production runs: migrate first, tsgi with the config file, production env', () => {
      expect(unitCommand('ExecStartPre', paths)).toEqual(['migrate']);
      expect(unitCommand('ExecStart', paths)).toEqual(['serve', '--config', paths.tsgiConfig]);
      expect(env.NODE_ENV).toBe('production');
      expect(env.DATABASE_URL).toBe(`sqlite:${paths.state}items.db`);
    });

    test('the systemd unit passes systemd-analyze verify', () => {
      const unit = readFileSync(join(DEPLOY_DIR, 'items-api.service'), 'utf8');
      expect(unit).toMatch(/^ExecReload=\/bin\/kill -HUP \$MAINPID$/m);
      expect(unit).toMatch(/^KillMode=mixed$/m);
      const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((path) =>
        existsSync(path),
      );
      if (analyze === undefined) return; // not a systemd machine: the parse above is what we can check
      const rendered = join(paths.dir, 'items-api.service');
      writeFileSync(rendered, unit);
      // Exits non-zero (and execFileSync throws) on a bad directive or a missing executable.
      const output = execFileSync(analyze, ['verify', rendered], {
        encoding: 'utf8',
        stdio: 'pipe',
      });
      expect(output).not.toMatch(/items-api\.service:/);
    });

    test('GET /health through Nginx answers from a worker, with X-Process-Time and an exact Content-Length', async () => {
      const reply = await call(nginx.port, 'GET', '/health');
      expect(reply.status).toBe(200);
      expect(json(reply)).toMatchObject({ status: 'ok', database: 'sqlite' });
      expect(reply.headers['x-process-time']).toMatch(/^\d+\.\d{2}$/);
      expect(reply.headers['content-length']).toBe(String(reply.body.byteLength));
      expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    });

    test("Nginx's $request_id is the app's X-Request-Id, in both logs; a client's own id is replaced", async () => {
      const reply = await call(nginx.port, 'GET', '/items/1', {
        headers: { 'x-request-id': 'forged-by-client' },
      });
      expect(reply.status).toBe(200);
      const id = reply.headers['x-request-id'];
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      await tsgi.waitFor(new RegExp(`\\] GET /items/1 → \\d+\\.\\dms id=${id}\n`));
      // Nginx writes its access log line once the response is sent, maybe after we read it.
      let accessLog = '';
      await until(
        () => {
          accessLog = readFileSync(join(paths.dir, 'logs', 'items-api.access.log'), 'utf8');
          return accessLog.includes(`id=${id}`);
        },
        { what: `id=${id} in Nginx's access log`, details: () => accessLog },
      );
      expect(accessLog).toMatch(new RegExp(`"GET /items/1 HTTP/1.1" 200 \\d+ [\\d.]+ id=${id}\n`));
    });

    test('/environ is off as shipped (NODE_ENV=production): a 404 like any unknown path', async () => {
      expect(env.ITEMS_ENVIRON).toBeUndefined();
      const reply = await call(nginx.port, 'GET', '/environ', {
        headers: { authorization: 'Bearer s3cret', 'x-api-key': 's3cret' },
      });
      expect(reply.status).toBe(404);
      expect(json(reply)).toEqual({ error: '路径 /environ 不存在' });
    });

    test('with ITEMS_ENVIRON=on the environ comes from Nginx (uwsgi_params, or the proxied request), completed by tsgi, credentials redacted', async () => {
      await tsgi.stop();
      tsgi = await startService({ ITEMS_ENVIRON: 'on' });
      const reply = await guarded(
        () =>
          call(nginx.port, 'GET', '/environ?x=1', {
            headers: {
              host: 'items.example.com',
              authorization: 'Bearer s3cret',
              'x-api-key': 's3cret',
              'x-auth-token': 's3cret',
            },
          }),
        async () => {
          await tsgi.stop();
          tsgi = await startService();
        },
      );
      expect(reply.status).toBe(200);
      expect(reply.body.toString('utf8')).not.toContain('s3cret');
      const environ = json(reply).environ as Record<string, unknown>;
      expect(environ).toMatchObject({
        REQUEST_METHOD: 'GET',
        PATH_INFO: '/environ',
        QUERY_STRING: 'x=1',
        REQUEST_URI: '/environ?x=1',
        SERVER_NAME: 'items.example.com',
        // uwsgi passes the client's address; over HTTP, tsgi trusts Nginx's
        // X-Forwarded-For on the Unix socket (trust-proxy unix).
        REMOTE_ADDR: '127.0.0.1',
        'tsgi.url_scheme': 'http',
        'tsgi.multiprocess': true,
        HTTP_AUTHORIZATION: '[redacted]',
        HTTP_X_API_KEY: '[redacted]',
        HTTP_X_AUTH_TOKEN: '[redacted]',
      });
    });

    test('CORS_ORIGINS from the env file: that origin may read, another may not', async () => {
      expect(env.CORS_ORIGINS).toBe('https://items.example.com');
      const allowed = await call(nginx.port, 'GET', '/items', {
        headers: { origin: 'https://items.example.com' },
      });
      expect(allowed.headers['access-control-allow-origin']).toBe('https://items.example.com');
      expect(allowed.headers.vary).toContain('Origin');
      const other = await call(nginx.port, 'GET', '/items', {
        headers: { origin: 'https://evil.example' },
      });
      expect(other.status).toBe(200);
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });

    test('/static/ is served by Nginx itself', async () => {
      const reply = await call(nginx.port, 'GET', '/static/hello.txt');
      expect(reply.status).toBe(200);
      expect(reply.body.toString()).toBe('static, from Nginx\n');
      expect(reply.headers['x-process-time']).toBeUndefined();
      expect(reply.headers['cache-control']).toBe('max-age=604800');
    });

    test('JSON over 512 bytes is gzipped for clients that accept it', async () => {
      // The 404 names the path, so a long path makes a long JSON body.
      const path = `/${'p'.repeat(600)}`;
      const reply = await call(nginx.port, 'GET', path, {
        headers: { 'accept-encoding': 'gzip' },
      });
      expect(reply.status).toBe(404);
      expect(reply.headers['content-encoding']).toBe('gzip');
      expect(reply.headers.vary).toContain('Accept-Encoding');
      expect(JSON.parse(gunzipSync(reply.body).toString('utf8'))).toEqual({
        error: `路径 ${path} 不存在`,
      });
    });

    test('bodies: over 16 KiB the app answers 413, over 1 MiB Nginx does, both in JSON', async () => {
      const headers = { 'content-type': 'application/json' };
      const app413 = await call(nginx.port, 'POST', '/items', {
        body: JSON.stringify({ name: 'x'.repeat(20_000) }),
        headers,
      });
      expect(app413.status).toBe(413);
      expect(json(app413).error).toBe('request body is larger than the limit of 16384 bytes');
      expect(app413.headers['x-process-time']).toBeDefined();
      const nginx413 = await call(nginx.port, 'POST', '/items', {
        body: Buffer.alloc(1_100_000, 0x61),
        headers,
      });
      expect(nginx413.status).toBe(413);
      expect(json(nginx413).error).toMatch(/larger than 1 MiB/);
    });

    test('GET /items/events through Nginx: each client gets a POSTed item (uwsgi_pass: 426)', async () => {
      if (variant === 'uwsgi') {
        // Nginx's uwsgi module cannot upgrade: the app answers 426 through location /.
        const reply = await call(nginx.port, 'GET', '/items/events', {
          headers: {
            connection: 'Upgrade',
            upgrade: 'websocket',
            'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
            'sec-websocket-version': '13',
          },
        });
        expect(reply.status).toBe(426);
        expect(json(reply).error).toMatch(/^GET \/items\/events is a WebSocket/);
        return;
      }
      const client = createClient(`http://127.0.0.1:${nginx.port}`);
      const origin = { Origin: 'https://items.example.com' };
      const sockets: TestWebSocket[] = [];
      await guarded(
        async () => {
          for (let i = 0; i < 4; i++) {
            sockets.push(
              await client.websocket('/items/events', { protocols: 'items.v1', headers: origin }),
            );
          }
          expect(sockets.every((socket) => socket.protocol === 'items.v1')).toBe(true);
          const created = await call(nginx.port, 'POST', '/items', {
            body: JSON.stringify({ name: '台灯', stock: 2 }),
            headers: { 'content-type': 'application/json' },
          });
          expect(created.status).toBe(201);
          const { item } = json(created);
          for (const socket of sockets) {
            expect(await socket.receiveJson()).toEqual({ type: 'item.created', item });
          }
          // CORS_ORIGINS of the env file: another site's page may not open it.
          const denied = await client
            .websocket('/items/events', { headers: { Origin: 'https://evil.example' } })
            .catch((error: unknown) => error);
          expect(denied).toBeInstanceOf(WebSocketDenied);
          expect((denied as WebSocketDenied).status).toBe(403);
        },
        () => client.close(),
      );
    });

    test('a POST is visible on every following GET, whichever worker serves it, and survives a restart', async () => {
      const before = json(await call(nginx.port, 'GET', '/items')).total as number;
      const created = await call(nginx.port, 'POST', '/items', {
        body: JSON.stringify({ name: '无线鼠标', stock: 8 }),
        headers: { 'content-type': 'application/json' },
      });
      expect(created.status).toBe(201);
      const item = json(created).item as { id: number; name: string; stock: number };
      expect(item).toMatchObject({ name: '无线鼠标', stock: 8 });

      // Both workers must serve the item. Nginx spreads requests over upstream connections
      // (uwsgi: one per request; proxy_pass: keepalive ones) and the kernel hands those to
      // whichever worker wakes first, often the same one. So after a first round, the worker
      // seen is stopped (SIGSTOP, far below harakiri) and a second round must reach the other;
      // over proxy_pass, Nginx first closes its idle connections to the stopped-to-be worker
      // (its keepalive_timeout bounds that wait), so no request waits on a stopped worker.
      const idleMs =
        variant === 'http'
          ? 1000 * (upstreamKeepalive(read('nginx.conf'), 'items_api_http').timeoutSeconds ?? 60)
          : 0;
      const pids = new Set<number>();
      const round = async () => {
        const lists = Array.from({ length: 3 }, () =>
          call(nginx.port, 'GET', '/items?limit=100', { unpaced: true }),
        );
        const healths = Array.from({ length: 3 }, () =>
          call(nginx.port, 'GET', '/health', { unpaced: true }),
        );
        for (const reply of await Promise.all(lists)) {
          const listed = json(reply);
          expect(listed.total).toBe(before + 1);
          expect(listed.items).toContainEqual(item);
        }
        for (const reply of await Promise.all(healths)) pids.add(json(reply).pid as number);
      };
      await round();
      if (pids.size < 2) {
        const [seen] = pids as Set<number>;
        await until(() => connectionsHeldBy(seen!, paths.socket) === 0, {
          ms: idleMs + BOUNDS.short,
          what: `Nginx to close its idle connections to worker ${seen}`,
          details: () => `${connectionsHeldBy(seen!, paths.socket)} still open`,
        });
        process.kill(seen!, 'SIGSTOP');
        await guarded(round, () => process.kill(seen!, 'SIGCONT'));
      }
      expect(pids.size).toBe(2);

      // Stop the service: Nginx answers 503 in JSON meanwhile. Start it again with the same files.
      await tsgi.stop();
      const down = await call(nginx.port, 'GET', '/items');
      expect(down.status).toBe(503);
      expect(json(down).error).toMatch(/not running/);
      tsgi = await startService();
      const after = await call(nginx.port, 'GET', `/items/${item.id}`);
      expect(after.status).toBe(200);
      expect(json(after).item).toEqual(item);
      expect(json(await call(nginx.port, 'GET', '/items')).total).toBe(before + 1);
    });

    test('limit_req: a burst past 40 requests gets 429 in JSON (runs last: it spends the budget)', async () => {
      // The earlier tests' requests spent part of the bucket; the burst starts once it is whole.
      const refillMs = limitReqRefillMs();
      await until(() => Date.now() - lastCall > refillMs, {
        ms: refillMs + BOUNDS.short,
        what: 'the limit_req bucket to refill',
        every: 50,
      });
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const statuses: number[] = [];
        let limited: Reply | undefined;
        for (let i = 0; i < 120 && limited === undefined; i++) {
          const reply = await call(nginx.port, 'GET', '/health', { agent, unpaced: true });
          statuses.push(reply.status);
          if (reply.status === 429) limited = reply;
        }
        expect(limited, `statuses: ${statuses.join(',')}`).toBeDefined();
        expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(40);
        expect(json(limited!).error).toMatch(/too many requests/);
      } finally {
        agent.destroy();
      }
    });
  },
);
