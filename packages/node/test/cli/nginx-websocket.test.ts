/**
 * WebSockets behind real Nginx: deploy/nginx.conf's `proxy_pass` site (its
 * `Upgrade` and `Connection $connection_upgrade` headers, as the deployment
 * guide shows them) in front of `tsgi serve --config deploy/tsgi.json`, 2
 * workers on a Unix socket, serving `fixtures/websocket-echo.mjs`. A rolling
 * reload (SIGHUP) drops no open WebSocket before the graceful timeout; then
 * the old workers close theirs with 1001, and the clients reconnect to new
 * workers. Nginx itself is never reloaded.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BOUNDS, bound, guarded, until } from '../../../../tools/test-support/index.ts';
import { type EchoClient, openEcho } from './echo-client.js';
import { findNginx, type RunningNginx, renderDeployFile, startNginxOnHeldPorts } from './nginx.js';
import { readyWorkers, startTsgi, stopTsgi, type Tsgi, waitReady } from './run-tsgi.js';

const dir = mkdtempSync(join(tmpdir(), 'tsgi-nginx-ws-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What one test started; torn down after it. */
interface Stack {
  tsgi: Tsgi;
  nginx: RunningNginx | undefined;
  /** `ws://127.0.0.1:<port>/` of Nginx's proxy_pass site. */
  url: string;
  /** The workers that serve before any reload. */
  pids: number[];
  /** Nginx's prefix dir, its logs under it. */
  site: string;
}

/**
 * The short graceful timeout, in seconds: it must outlast what the test checks
 * while the old workers drain (a few dozen messages and 8 handshakes through
 * Nginx), on a busy machine too, so it scales with the other bounds.
 */
const SHORT_GRACE = Math.ceil(bound(5_000) / 1000);

let stack: Stack | undefined;
const clients: EchoClient[] = [];
let runs = 0;

afterEach(() => {
  const ending = stack;
  stack = undefined;
  return guarded(
    () => {
      for (const client of clients.splice(0)) client.terminate();
    },
    () => ending?.nginx?.stop(),
    () => stopTsgi(ending?.tsgi),
  );
});

/**
 * tsgi as deploy/tsgi.json runs it (`protocol: http`, a Unix socket, 2
 * workers), its graceful timeout set by flag, behind deploy/nginx.conf.
 */
async function start(gracefulSeconds: number): Promise<Stack> {
  const binary = findNginx();
  if (binary === undefined)
    throw new Error('nginx is not installed: run scripts/install-system-deps.sh');
  const site = join(dir, `run-${++runs}`);
  mkdirSync(site);
  writeFileSync(join(site, 'tsgi.json'), renderDeployFile('tsgi.json', site, 'websocket-echo.mjs'));
  const tsgi = startTsgi([
    'serve',
    '--config',
    join(site, 'tsgi.json'),
    '--graceful-timeout',
    String(gracefulSeconds),
  ]);
  stack = { tsgi, nginx: undefined, url: '', pids: [], site };
  expect(await tsgi.listening).toBe(`unix:${join(site, 'tsgi-http.sock')}`);
  stack.pids = await waitReady(tsgi, 2);
  const started = await startNginxOnHeldPorts(binary, {
    dir: site,
    uwsgiSocket: join(site, 'unused.sock'),
    httpSocket: join(site, 'tsgi-http.sock'),
    fastcgiSocket: join(site, 'unused-fastcgi.sock'),
  });
  stack.nginx = started.nginx;
  stack.url = `ws://127.0.0.1:${started.sites.httpPort}/`;
  return stack;
}

/** Opens `count` WebSockets through Nginx, one after another; each is closed after the test. */
async function open(url: string, count: number): Promise<EchoClient[]> {
  const opened: EchoClient[] = [];
  for (let i = 0; i < count; i++) {
    const client = await openEcho(url);
    clients.push(client);
    opened.push(client);
  }
  return opened;
}

/** Each client's worker pid. */
function pidsOf(group: EchoClient[]): Promise<number[]> {
  return Promise.all(group.map((client) => client.pid()));
}

/** Every client echoes one message (one after another), and none of them has closed. */
async function echoAll(group: EchoClient[], tag: string): Promise<void> {
  for (const [i, client] of group.entries()) {
    expect(client.close()).toBeUndefined();
    expect(await client.ask(`${tag} ${i}`)).toBe(`${tag} ${i}`);
  }
}

/** The drain line an old worker logged: `worker[pid]: reload: drained …`. */
function drainLine(tsgi: Tsgi, pid: number): string {
  const line = new RegExp(`worker\\[${pid}\\]: reload: drained \\d+ connections .*`).exec(
    tsgi.stderr(),
  );
  if (line === null) throw new Error(`no drain line of ${pid}:\n${tsgi.output()}`);
  return line[0];
}

/**
 * The old workers that hold a WebSocket (`on`: one pid per open client) are
 * still draining: neither done nor gone. One that holds none may be gone.
 */
function expectStillDraining(tsgi: Tsgi, on: number[]): void {
  for (const pid of new Set(on)) {
    expect(tsgi.stderr()).not.toMatch(new RegExp(`worker\\[${pid}\\]: reload: drained`));
    expect(tsgi.stderr()).not.toContain(`(pid ${pid}) exited`);
  }
}

/** Nginx logged no broken upstream connection. */
function expectCleanNginxLog(site: string): void {
  const log = readFileSync(join(site, 'logs', 'error.log'), 'utf8');
  expect(log).not.toMatch(/upstream prematurely|recv\(\) failed|reset by peer|connect\(\) failed/);
}

/** SIGHUP; every client echoes while the reload runs, until the new workers serve. */
async function reloadWhileEchoing(tsgi: Tsgi, group: EchoClient[]): Promise<void> {
  tsgi.child.kill('SIGHUP');
  let round = 0;
  await until(
    async () => {
      await echoAll(group, `during reload ${round++}`);
      return /reload done/.test(tsgi.stderr());
    },
    { ms: BOUNDS.process, what: 'the reload, while every WebSocket echoes', details: tsgi.output },
  );
}

/**
 * Waits until every client's (old) worker says it was told to stop: from
 * then on, it accepts no new connection.
 */
async function untilStopping(group: EchoClient[]): Promise<void> {
  let answers: Array<string | Uint8Array> = [];
  await until(
    async () => {
      answers = await Promise.all(group.map((client) => client.ask('stopping')));
      return answers.every((answer) => answer === 'yes');
    },
    { what: 'every old worker to be stopping', details: () => answers.join(', ') },
  );
}

describe('WebSockets through Nginx proxy_pass → tsgi serve (2 workers, Unix socket)', () => {
  it('the site Nginx runs passes Upgrade and Connection $connection_upgrade', async () => {
    const { site, url, pids } = await start(30);
    const conf = readFileSync(join(site, 'nginx.conf'), 'utf8');
    expect(conf).toMatch(/map \$http_upgrade \$connection_upgrade \{\s+default upgrade;/);
    expect(conf).toContain('proxy_set_header Upgrade $http_upgrade;');
    expect(conf).toContain('proxy_set_header Connection $connection_upgrade;');
    // A plain request through the same location still gets the app's answer.
    const plain = await fetch(url.replace('ws:', 'http:'));
    expect(plain.status).toBe(426);
    expect(await plain.text()).toMatch(/^WebSocket only \(pid \d+\)\n$/);
    const group = await open(url, 8);
    for (const client of group) expect(client.handshake.headers.server).toMatch(/^nginx/);
    expect(pids).toEqual(expect.arrayContaining(await pidsOf(group)));
    await echoAll(group, 'text');
    const binary = new Uint8Array(65_536).map((_, i) => (i * 7) & 0xff);
    for (const client of group) expect(await client.ask(binary)).toEqual(binary);
    const chat = await openEcho(url, ['chat.v1', 'chat.v0']);
    clients.push(chat);
    expect(chat.protocol).toBe('chat.v1');
    for (const client of [...group, chat])
      expect(await client.end()).toEqual({ code: 1000, reason: 'done' });
  });

  it('SIGHUP: open WebSockets echo until the graceful timeout, then get 1001 and reconnect to new workers', async () => {
    const { tsgi, url, pids: old, site } = await start(SHORT_GRACE);
    const group = await open(url, 8);
    const on = await pidsOf(group);
    expect(old).toEqual(expect.arrayContaining(on));
    await reloadWhileEchoing(tsgi, group);
    await untilStopping(group);
    await echoAll(group, 'after reload');
    const fresh = readyWorkers(tsgi.stderr()).filter((pid) => !old.includes(pid));
    expect(fresh).toHaveLength(2);

    // New connections while the old workers still hold theirs reach the new workers.
    const later = await open(url, 8);
    expect(fresh).toEqual(expect.arrayContaining(await pidsOf(later)));
    expectStillDraining(tsgi, on);

    // The graceful timeout: each old connection gets 1001, through Nginx as it was sent.
    await until(() => group.every((client) => client.close() !== undefined), {
      ms: BOUNDS.process,
      what: 'every old WebSocket to close',
      details: tsgi.output,
    });
    for (const client of group)
      expect(client.close()).toEqual({ code: 1001, reason: 'server going away' });
    for (const pid of old) await tsgi.waitFor(new RegExp(`worker \\d+ \\(pid ${pid}\\) exited`));
    for (const pid of old) {
      const cut = on.filter((p) => p === pid).length;
      expect(drainLine(tsgi, pid)).toMatch(new RegExp(`, ${cut} cut at the graceful timeout$`));
    }
    expect(tsgi.stderr()).not.toMatch(/did not stop in time/);
    await echoAll(later, 'still open');

    // Each closed client reconnects, to a new worker.
    const again = await open(url, group.length);
    expect(fresh).toEqual(expect.arrayContaining(await pidsOf(again)));
    await echoAll(again, 'reconnected');
    expectCleanNginxLog(site);
  });

  it('after a reload, handshakes on upstream connections Nginx kept to old workers reach new ones', async () => {
    const { tsgi, url, pids: old } = await start(3600);
    // Plain requests at once leave several upstream connections in Nginx's keepalive pool.
    const plain = await Promise.all(
      Array.from({ length: 40 }, () => fetch(url.replace('ws:', 'http:')).then((r) => r.status)),
    );
    expect(new Set(plain)).toEqual(new Set([426]));
    tsgi.child.kill('SIGHUP');
    await tsgi.waitFor(/reload done/);
    const fresh = readyWorkers(tsgi.stderr()).filter((pid) => !old.includes(pid));
    expect(fresh).toHaveLength(2);
    // An old worker drops a handshake on a kept-alive connection unanswered; Nginx retries it.
    const group = await open(url, 16);
    expect(fresh).toEqual(expect.arrayContaining(await pidsOf(group)));
    await echoAll(group, 'on a new worker');
  });

  it('with a long graceful timeout, the old workers exit once their WebSockets closed themselves', async () => {
    // Far beyond every bound of this test: a worker that waited for it would fail the test.
    const { tsgi, url, pids: old, site } = await start(3600);
    const group = await open(url, 8);
    const on = await pidsOf(group);
    await reloadWhileEchoing(tsgi, group);
    await untilStopping(group);
    await echoAll(group, 'after reload');
    expectStillDraining(tsgi, on);
    for (const client of group) expect(await client.end()).toEqual({ code: 1000, reason: 'done' });
    for (const pid of old) await tsgi.waitFor(new RegExp(`worker \\d+ \\(pid ${pid}\\) exited`));
    for (const pid of old) {
      const held = on.filter((p) => p === pid).length;
      expect(drainLine(tsgi, pid)).toMatch(
        new RegExp(`, ${held} closed by the client, 0 cut at the graceful timeout$`),
      );
    }
    expectCleanNginxLog(site);
  });
});
