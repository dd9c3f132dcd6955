import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BOUNDS, bound, until } from '../../../../tools/test-support/index.ts';
import { encodePacket } from '../../src/uwsgi/index.js';
import { rawConnection } from '../raw-connection.js';
import { get, load } from './load.js';
import { CLI, readyWorkers, startTsgi, waitReady } from './run-tsgi.js';

const dir = mkdtempSync(join(tmpdir(), 'tsgi-workers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * --harakiri in seconds: far above what a /health request takes on a loaded
 * machine, so only the requests meant to be cut are.
 */
const HARAKIRI = 3;

describe('master and workers', () => {
  it('runs N workers on one TCP port; the app sees tsgi.multiprocess', async () => {
    const tsgi = startTsgi(['serve', 'app.mjs', '--port', '0', '--workers', '2']);
    const url = await tsgi.listening;
    await waitReady(tsgi, 2);
    const environ = (await (await fetch(`${url}/environ`)).json()) as Record<string, unknown>;
    expect(environ['tsgi.multiprocess']).toBe(true);
    const result = await load(url, { count: 60, concurrency: 6 });
    expect(result.failed).toEqual([]);
    expect([...result.pids].every((pid) => readyWorkers(tsgi.stderr()).includes(pid))).toBe(true);
    tsgi.child.kill('SIGTERM');
    expect(await tsgi.exited).toBe(0);
  });

  it('shares a Unix socket the master creates with --chmod-socket, and removes it on exit', async () => {
    const path = join(dir, 'app.sock');
    const tsgi = startTsgi([
      'serve',
      'app.mjs',
      '--socket',
      path,
      '--chmod-socket',
      '660',
      '--workers',
      '2',
    ]);
    expect(await tsgi.listening).toBe(`unix:${path}`);
    expect(statSync(path).mode & 0o777).toBe(0o660);
    const result = await load(`unix:${path}`, { count: 20, concurrency: 4 });
    expect(result.ok).toBe(20);
    tsgi.child.kill('SIGTERM');
    expect(await tsgi.exited).toBe(0);
    expect(() => statSync(path)).toThrow(/ENOENT/);
  });

  it('kill -9 of a worker under load: it is replaced and the other worker keeps answering', async () => {
    const tsgi = startTsgi(['serve', 'app.mjs', '--port', '0', '--workers', '2']);
    const url = await tsgi.listening;
    await waitReady(tsgi, 2);
    const [victim, survivor] = readyWorkers(tsgi.stderr());
    const result = await load(url, {
      count: 200,
      concurrency: 4,
      startAfter: 40,
      during: () => process.kill(victim!, 'SIGKILL'),
    });
    await tsgi.waitFor(new RegExp(`pid ${victim}\\) died \\(signal SIGKILL\\)`));
    await tsgi.waitFor(/worker 3 \(pid \d+\) ready/);
    // Only requests that were on the killed worker at that moment may fail.
    expect(result.failed.length).toBeLessThanOrEqual(4);
    expect(result.ok).toBeGreaterThanOrEqual(196);
    // The other worker was untouched: still the same process, never restarted.
    expect(() => process.kill(survivor!, 0)).not.toThrow();
    expect(tsgi.stderr()).not.toContain(`pid ${survivor}) died`);
    const after = await load(url, { count: 40, concurrency: 4 });
    expect(after.failed).toEqual([]);
    expect(readyWorkers(tsgi.stderr())).toHaveLength(2);
  });

  it('SIGHUP under load: a rolling reload with zero failed requests and all-new workers', async () => {
    const tsgi = startTsgi(['serve', 'app.mjs', '--port', '0', '--workers', '2']);
    const url = await tsgi.listening;
    await waitReady(tsgi, 2);
    const before = readyWorkers(tsgi.stderr());
    // Requests sent once the old workers are gone; the load stops after 50 of them.
    let sentAfter: number | undefined;
    let flowing!: () => void;
    const started = new Promise<void>((resolve) => {
      flowing = resolve;
    });
    // Bounded: at most 20k requests, and it stops once the reload is over. The reload
    // starts once 20 requests went through, however busy the machine.
    const running = load(url, {
      count: 20_000,
      concurrency: 4,
      startAfter: 20,
      during: () => flowing(),
      stopWhen: () => sentAfter !== undefined && ++sentAfter > 50,
    });
    await Promise.race([started, running]);
    tsgi.child.kill('SIGHUP');
    await tsgi.waitFor(/reload done/);
    await until(() => readyWorkers(tsgi.stderr()).every((pid) => !before.includes(pid)), {
      ms: BOUNDS.process,
      what: 'old workers to exit',
      details: tsgi.output,
    });
    sentAfter = 0;
    const result = await running;
    expect(result.failed).toEqual([]);
    expect(result.ok).toBeGreaterThan(50);
    tsgi.child.kill('SIGTERM');
    const after = readyWorkers(tsgi.stderr());
    expect(after.some((pid) => before.includes(pid))).toBe(false);
    expect(await tsgi.exited).toBe(0);
  });

  it('SIGTERM during a slow request: the request completes, then the master exits 0', async () => {
    // /held answers its first line at once and the rest once the release file exists.
    const release = join(dir, 'release-slow');
    const tsgi = startTsgi(
      ['serve', 'counting.mjs', '--port', '0', '--workers', '2', '--graceful-timeout', '60'],
      { env: { TSGI_TEST_RELEASE: release, TSGI_TEST_HOLD_MS: String(bound(BOUNDS.process)) } },
    );
    const { port } = new URL(await tsgi.listening);
    await waitReady(tsgi, 2);
    const client = rawConnection({ host: '127.0.0.1', port: Number(port) });
    client.socket.write('GET /held HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n');
    // In flight in a worker: the stop comes during the request.
    await client.until((text) => text.includes('start '), 'the first line');
    tsgi.child.kill('SIGTERM');
    await tsgi.waitFor(/SIGTERM: graceful stop/);
    writeFileSync(release, '');
    await client.closed;
    expect(client.error()).toBeUndefined();
    expect(client.data()).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(client.data()).toMatch(/end\n\r\n0\r\n\r\n$/);
    expect(await tsgi.exited).toBe(0);
    expect(tsgi.stderr()).toMatch(/SIGTERM: graceful stop/);
  });

  it('a module that throws at import: the master exits non-zero with that error, fast', async () => {
    const started = Date.now();
    const tsgi = startTsgi(['serve', 'throws-at-import.mjs', '--port', '0', '--workers', '2']);
    const code = await tsgi.exited;
    expect(code).toBe(1);
    // Fast: at the first failure, with no restart and its backoff.
    expect(tsgi.stderr()).not.toMatch(/restarting workers/);
    expect(Date.now() - started).toBeLessThan(bound(BOUNDS.short));
    expect(tsgi.stderr()).toContain('this module refuses to load: missing DATABASE_URL');
    expect(tsgi.stderr()).toMatch(/failed to start/);
  });

  it('SIGHUP with a broken build: the reload is aborted and the old workers keep serving', async () => {
    const flag = join(dir, 'broken');
    const tsgi = startTsgi(['serve', 'breakable.mjs', '--port', '0', '--workers', '2'], {
      env: { TSGI_TEST_BREAK: flag },
    });
    const url = await tsgi.listening;
    await waitReady(tsgi, 2);
    const before = readyWorkers(tsgi.stderr());
    writeFileSync(flag, '');
    tsgi.child.kill('SIGHUP');
    await tsgi.waitFor(
      /reload aborted, old workers keep serving: .*broken build: cannot import the app/,
    );
    const during = await load(url, { count: 20, concurrency: 2 });
    expect(during.failed).toEqual([]);
    expect(
      [...during.pids].filter((pid) => !before.includes(pid)),
      tsgi.stderr(),
    ).toEqual([]);
    rmSync(flag);
    tsgi.child.kill('SIGHUP');
    await tsgi.waitFor(/reload done/);
    expect(tsgi.child.exitCode).toBeNull();
  });

  it('workers that keep failing to start after start-up: the master gives up with exit 1', async () => {
    const flag = join(dir, 'broken-later');
    const tsgi = startTsgi(['serve', 'breakable.mjs', '--port', '0', '--workers', '2'], {
      env: { TSGI_TEST_BREAK: flag },
    });
    await tsgi.listening;
    await waitReady(tsgi, 2);
    writeFileSync(flag, '');
    process.kill(readyWorkers(tsgi.stderr())[0]!, 'SIGKILL');
    expect(await tsgi.exited).toBe(1);
    expect(tsgi.stderr()).toMatch(/restarting workers in \d+ ms/);
    expect(tsgi.stderr()).toMatch(/5 workers in a row failed to start; last error: .*broken build/);
  });

  it('workers do not outlive a master killed with -9', async () => {
    const tsgi = startTsgi(['serve', 'app.mjs', '--port', '0', '--workers', '2']);
    await tsgi.listening;
    const workers = await waitReady(tsgi, 2);
    tsgi.child.kill('SIGKILL');
    await tsgi.exited;
    const alive = () =>
      workers.filter((pid) => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      });
    await until(() => alive().length === 0, {
      what: 'orphaned workers to exit',
      details: () => `still alive: ${alive()}`,
    });
  });

  it('SIGTTIN adds a worker, SIGTTOU removes one', async () => {
    const tsgi = startTsgi(['serve', 'app.mjs', '--port', '0', '--workers', '2']);
    await tsgi.listening;
    await waitReady(tsgi, 2);
    tsgi.child.kill('SIGTTIN');
    await tsgi.waitFor(/worker 3 \(pid \d+\) ready/);
    expect(readyWorkers(tsgi.stderr())).toHaveLength(3);
    tsgi.child.kill('SIGTTOU');
    await tsgi.waitFor(/worker 3 \(pid \d+\) exited/);
    expect(readyWorkers(tsgi.stderr())).toHaveLength(2);
  });

  it('--max-requests recycles workers without failing requests', async () => {
    const tsgi = startTsgi([
      'serve',
      'app.mjs',
      '--port',
      '0',
      '--workers',
      '2',
      '--max-requests',
      '15',
      '--max-requests-jitter',
      '5',
    ]);
    const url = await tsgi.listening;
    await waitReady(tsgi, 2);
    const first = await load(url, { count: 60, concurrency: 2 });
    expect(first.failed).toEqual([]);
    await tsgi.waitFor(/asks to be recycled: served \d+ requests \(max-requests\)/);
    await tsgi.waitFor(/worker 3 \(pid \d+\) ready/);
    await tsgi.waitFor(/stopping worker [12] /);
    const second = await load(url, { count: 40, concurrency: 2 });
    expect(second.failed).toEqual([]);
    expect(new Set([...first.pids, ...second.pids]).size).toBeGreaterThan(2);
  });

  it('--harakiri answers 504 to a stuck request and recycles its worker; a blocked loop is killed', async () => {
    const tsgi = startTsgi(`serve app.mjs --port 0 --workers 2 --harakiri ${HARAKIRI}`.split(' '));
    const url = await tsgi.listening;
    await waitReady(tsgi, 2);
    const stuck = await get(url, '/slow?ms=20000', BOUNDS.process);
    expect(stuck.status).toBe(504);
    await tsgi.waitFor(
      new RegExp(`harakiri: GET /slow\\?ms=20000 ran longer than ${HARAKIRI} s; answered 504`),
    );
    await tsgi.waitFor(/asks to be recycled: harakiri/);
    // Blocked far past --harakiri (for a whole process bound): only the master ends it.
    const blocked = await get(url, `/block?ms=${bound(BOUNDS.process)}`, BOUNDS.process);
    expect(blocked.status).toBe(0); // the master killed the worker: the connection dies
    await tsgi.waitFor(/harakiri: worker \d+ \(pid \d+\) unresponsive/);
    expect((await load(url, { count: 10, concurrency: 2 })).failed).toEqual([]);
  });

  it('--protocol uwsgi with --harakiri: the stuck request gets a 504 on the uwsgi stream', async () => {
    const path = join(dir, 'harakiri.sock');
    const tsgi = startTsgi([
      'serve',
      'app.mjs',
      '--protocol',
      'uwsgi',
      '--socket',
      path,
      '--workers',
      '2',
      '--harakiri',
      '1',
    ]);
    await tsgi.listening;
    await waitReady(tsgi, 2);
    const answer = await new Promise<string>((resolve) => {
      const socket = connect({ path });
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString('latin1');
      });
      socket.on('error', () => {});
      socket.on('close', () => resolve(text));
      socket.write(
        encodePacket({
          REQUEST_METHOD: 'GET',
          REQUEST_URI: '/slow?ms=20000',
          PATH_INFO: '/slow',
          QUERY_STRING: 'ms=20000',
          SERVER_PROTOCOL: 'HTTP/1.1',
          HTTP_HOST: 'localhost',
        }),
      );
      // Only bounds a hang: the 504 comes after --harakiri's second.
      setTimeout(() => socket.destroy(), bound(BOUNDS.short));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 504 Gateway Timeout\r\n/);
    await tsgi.waitFor(/harakiri: GET \/slow\?ms=20000 ran longer than 1 s/);
  });

  it('uses the socket systemd passes (LISTEN_FDS, fd 3)', async () => {
    // perl (perl-base is Essential on Debian) plays systemd: bind, put the socket on
    // fd 3, set LISTEN_* and exec tsgi, which keeps the pid LISTEN_PID names.
    const script = [
      'use Socket; use POSIX; $^F = 3;',
      'socket(my $s, PF_INET, SOCK_STREAM, 0) or die $!;',
      'bind($s, pack_sockaddr_in(0, inet_aton("127.0.0.1"))) or die $!;',
      'listen($s, 128) or die $!;',
      'my ($port) = unpack_sockaddr_in(getsockname($s));',
      'print STDERR "bound port $port\\n";',
      'POSIX::dup2(fileno($s), 3) or die $!;',
      '$ENV{LISTEN_FDS} = "1"; $ENV{LISTEN_PID} = "$$";',
      'exec @ARGV or die $!;',
    ].join(' ');
    const tsgi = startTsgi(['serve', 'app.mjs', '--port', '1', '--workers', '2'], {
      command: ['perl', '-e', script, process.execPath, CLI],
    });
    const port = (await tsgi.waitFor(/bound port (\d+)/))[1];
    expect(await tsgi.listening).toBe('fd:3');
    const result = await load(`http://127.0.0.1:${port}`, { count: 20, concurrency: 4 });
    expect(result.failed).toEqual([]);
    expect(result.ok).toBe(20);
  });
});

describe('packaging', () => {
  it('the bin entry points at the built CLI', () => {
    const pkg = JSON.parse(
      execFileSync(
        'node',
        ['-e', 'process.stdout.write(require("fs").readFileSync("package.json","utf8"))'],
        {
          cwd: new URL('../..', import.meta.url),
          encoding: 'utf8',
        },
      ),
    ) as { bin: Record<string, string> };
    expect(pkg.bin.tsgi).toBe('./dist/cli.js');
  });
});
