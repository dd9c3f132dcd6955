import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOUNDS, guarded, until } from '../../../../tools/test-support/index.ts';
import { createUwsgiServer } from '../../src/uwsgi/index.js';
import { load } from './load.js';
import {
  DEPLOY,
  findNginx,
  type RunningNginx,
  renderDeployFile,
  startNginxOnHeldPorts,
} from './nginx.js';
import {
  CLI,
  FIXTURES,
  readyWorkers,
  startTsgi,
  stopTsgi,
  type Tsgi,
  waitCount,
} from './run-tsgi.js';

const dir = mkdtempSync(join(tmpdir(), 'tsgi-nginx-'));
let nginx: RunningNginx;
let uwsgiTsgi: Tsgi;
let httpTsgi: Tsgi;
let sites: { uwsgi: string; http: string };

/** The `tsgi` the unit runs: the app's own, installed with it in /srv/app. */
const APP_TSGI = '/srv/app/node_modules/.bin/tsgi';

/** The ExecStart line of deploy/tsgi.service, split into words. */
function execStart(unit: string): string[] {
  const line = unit.split('\n').find((l) => l.startsWith('ExecStart='));
  if (line === undefined) throw new Error('deploy/tsgi.service has no ExecStart');
  return line.slice('ExecStart='.length).trim().split(/\s+/);
}

beforeAll(async () => {
  const binary = findNginx();
  if (binary === undefined) {
    throw new Error(
      'nginx is not installed: run scripts/install-system-deps.sh (apt-get install nginx)',
    );
  }
  // The uwsgi instance runs the unit's ExecStart line with deploy/tsgi.ini;
  // the app's own `node_modules/.bin/tsgi` is a shim for the bundled CLI.
  writeFileSync(join(dir, 'tsgi.ini'), renderDeployFile('tsgi.ini', dir, 'app.mjs'));
  writeFileSync(join(dir, 'tsgi.json'), renderDeployFile('tsgi.json', dir, 'app.mjs'));
  const shim = join(dir, 'bin');
  execFileSync('mkdir', ['-p', shim]);
  writeFileSync(join(shim, 'tsgi'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(join(shim, 'tsgi'), 0o755);
  const command = execStart(readFileSync(`${DEPLOY}tsgi.service`, 'utf8')).map((word) =>
    word === '/etc/tsgi/tsgi.ini'
      ? join(dir, 'tsgi.ini')
      : word === APP_TSGI
        ? join(shim, 'tsgi')
        : word,
  );
  uwsgiTsgi = startTsgi([], { command, wholeFile: true });
  httpTsgi = startTsgi(['serve', '--config', join(dir, 'tsgi.json')], { wholeFile: true });
  await uwsgiTsgi.listening;
  await httpTsgi.listening;
  const started = await startNginxOnHeldPorts(binary, {
    dir,
    uwsgiSocket: join(dir, 'tsgi.sock'),
    httpSocket: join(dir, 'tsgi-http.sock'),
    fastcgiSocket: join(dir, 'unused-fastcgi.sock'),
  });
  nginx = started.nginx;
  sites = {
    uwsgi: `http://127.0.0.1:${started.sites.uwsgiPort}`,
    http: `http://127.0.0.1:${started.sites.httpPort}`,
  };
});

// Each step runs whatever the others do; the first error is the one reported.
afterAll(() =>
  guarded(
    () => nginx?.stop(),
    () => stopTsgi(uwsgiTsgi),
    () => stopTsgi(httpTsgi),
    () => rmSync(dir, { recursive: true, force: true }),
  ),
);

describe('deploy files', () => {
  it('the deployment pages, docs/deploy/, show the deploy files exactly as tested', () => {
    const pages = `${DEPLOY}../../../docs/deploy/`;
    const shownOn: Record<string, string> = {
      'nginx.conf': 'nginx.md',
      'tsgi.service': 'systemd.md',
      'tsgi.ini': 'systemd.md',
      'tsgi.json': 'systemd.md',
      'tsgi-fastcgi.ini': 'systemd.md',
    };
    for (const [file, page] of Object.entries(shownOn)) {
      const text = readFileSync(`${pages}${page}`, 'utf8');
      expect(text, `docs/deploy/${page} shows ${file}`).toContain(
        readFileSync(`${DEPLOY}${file}`, 'utf8'),
      );
    }
  });

  it('the systemd unit passes systemd-analyze verify (or at least parses) and its ExecStart served', () => {
    const unit = readFileSync(`${DEPLOY}tsgi.service`, 'utf8');
    expect(execStart(unit).slice(0, 3)).toEqual([APP_TSGI, 'serve', '--config']);
    expect(unit).toMatch(/^ExecReload=\/bin\/kill -HUP \$MAINPID$/m);
    expect(unit).toMatch(/^KillMode=mixed$/m);
    expect(uwsgiTsgi.stderr()).toMatch(/listening on unix:.*tsgi\.sock \(uwsgi, 2 workers\)/);
    let analyze: string | undefined;
    try {
      analyze = execFileSync('sh', ['-c', 'command -v systemd-analyze'], {
        encoding: 'utf8',
      }).trim();
    } catch {
      analyze = undefined;
    }
    if (analyze) {
      const rendered = join(dir, 'tsgi.service');
      writeFileSync(
        rendered,
        unit
          .replace('WorkingDirectory=/srv/app', `WorkingDirectory=${FIXTURES}`)
          .replace(APP_TSGI, join(dir, 'bin', 'tsgi')),
      );
      // Throws (non-zero exit) on a bad directive or a missing executable.
      const output = execFileSync(analyze, ['verify', rendered], {
        encoding: 'utf8',
        stdio: 'pipe',
      });
      expect(output).not.toMatch(/tsgi\.service:/);
    }
  });
});

for (const mode of ['uwsgi', 'http'] as const) {
  describe(`Nginx → tsgi (${mode === 'uwsgi' ? 'uwsgi_pass' : 'proxy_pass'}, 2 workers, Unix socket)`, () => {
    const url = (path: string) => `${sites[mode]}${path}`;

    it('passes status, headers and a JSON body through', async () => {
      const response = await fetch(url('/health'));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(response.headers.get('server')).toMatch(/^nginx/);
      expect(await response.json()).toMatchObject({ status: 'ok' });
    });

    it('gives the app a complete environ', async () => {
      const response = await fetch(url('/caf%C3%A9/x?q=a%20b&r'), {
        headers: { 'X-Custom': 'yes' },
      });
      const environ = (await response.json()) as Record<string, unknown>;
      // the fixture answers 404 for unknown paths with the path it saw
      expect(environ).toMatchObject({ path: '/café/x' });
      const env = (await (
        await fetch(url('/environ?q=a%20b'), { headers: { 'X-Custom': 'yes' } })
      ).json()) as Record<string, unknown>;
      expect(env).toMatchObject({
        REQUEST_METHOD: 'GET',
        SCRIPT_NAME: '',
        PATH_INFO: '/environ',
        QUERY_STRING: 'q=a%20b',
        REQUEST_URI: '/environ?q=a%20b',
        SERVER_NAME: '127.0.0.1',
        REMOTE_ADDR: '127.0.0.1',
        HTTP_X_CUSTOM: 'yes',
        'tsgi.url_scheme': 'http',
        'tsgi.multiprocess': true,
      });
      expect(env).not.toHaveProperty('CONTENT_LENGTH');
    });

    it('streams a response without Content-Length to the end', async () => {
      const response = await fetch(url('/stream'));
      expect(response.headers.get('content-length')).toBeNull();
      expect(await response.text()).toBe('chunk 0\nchunk 1\nchunk 2\nchunk 3\nchunk 4\n');
    });

    it('keeps repeated Set-Cookie headers apart', async () => {
      const response = await fetch(url('/cookies'));
      expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    });

    it('delivers request bodies, including a 5 MB upload', async () => {
      const echo = await fetch(url('/echo'), { method: 'POST', body: 'hello tsgi' });
      expect(echo.headers.get('x-received')).toBe('10');
      expect(await echo.text()).toBe('hello tsgi');
      const upload = new Uint8Array(5 * 1024 * 1024);
      for (let i = 0; i < upload.length; i++) upload[i] = (i * 31) & 0xff;
      let sum = 0;
      for (let i = 0; i < upload.length; i++) sum = (sum + upload[i]!) % 1_000_000_007;
      const digest = await fetch(url('/digest'), { method: 'POST', body: upload });
      expect(digest.status).toBe(200);
      expect(await digest.json()).toEqual({ length: upload.length, sum });
    });

    it('sends a 3 MB response intact', async () => {
      const response = await fetch(url('/big?size=3000000'));
      const body = new Uint8Array(await response.arrayBuffer());
      expect(body.byteLength).toBe(3_000_000);
      expect(body.every((b) => b === 97)).toBe(true);
    });

    it('passes 404 and 500 through with their bodies', async () => {
      const missing = await fetch(url('/nope'));
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: 'not found', path: '/nope' });
      const failing = await fetch(url('/fail'));
      expect(failing.status).toBe(500);
      expect(await failing.text()).toBe('Internal Server Error\n');
    });

    it('a body over the limit is refused by Nginx first (client_max_body_size 10m)', async () => {
      const response = await fetch(url('/digest'), {
        method: 'POST',
        body: new Uint8Array(11 * 1024 * 1024),
      });
      expect(response.status).toBe(413);
    });
  });
}

describe('what Nginx does on the uwsgi side', () => {
  it('opens one connection per request (no keep-alive) and reads a close-delimited body', async () => {
    const sub = mkdtempSync(join(tmpdir(), 'tsgi-nginx-conn-'));
    const socket = join(sub, 'tsgi.sock');
    // The connection each request came on (raw or net.Socket alike): a reused one would repeat.
    const connections = new Set<unknown>();
    const server = createUwsgiServer((environ, startResponse) => {
      for (const open of server.transport.sockets()) connections.add(open);
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      return (async function* () {
        yield new TextEncoder().encode(`no length for ${environ.PATH_INFO}`);
      })();
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    let second: RunningNginx | undefined;
    await guarded(
      async () => {
        const started = await startNginxOnHeldPorts(findNginx()!, {
          dir: sub,
          uwsgiSocket: socket,
          httpSocket: join(sub, 'unused.sock'),
          fastcgiSocket: join(sub, 'unused-fastcgi.sock'),
        });
        second = started.nginx;
        for (let i = 0; i < 5; i++) {
          const response = await fetch(`http://127.0.0.1:${started.sites.uwsgiPort}/n${i}`);
          expect(await response.text()).toBe(`no length for /n${i}`);
        }
        expect(connections.size).toBe(5);
      },
      () => second?.stop(),
      () => new Promise((resolve) => server.close(resolve)),
      () => rmSync(sub, { recursive: true, force: true }),
    );
  });
});

describe('after the functional runs', () => {
  it('Nginx logged no upstream errors', () => {
    const log = existsSync(join(dir, 'logs', 'error.log'))
      ? readFileSync(join(dir, 'logs', 'error.log'), 'utf8')
      : '';
    expect(log).not.toMatch(/upstream prematurely closed|recv\(\) failed|reset by peer/);
  });
});

describe('systemctl reload under traffic (SIGHUP through Nginx)', () => {
  for (const mode of ['uwsgi', 'http'] as const) {
    it(`${mode === 'uwsgi' ? 'uwsgi_pass' : 'proxy_pass'}: zero failed requests`, async () => {
      const tsgi = mode === 'uwsgi' ? uwsgiTsgi : httpTsgi;
      const before = readyWorkers(tsgi.stderr());
      const reloads = (tsgi.stderr().match(/reload done/g) ?? []).length;
      // Requests sent once the old workers are gone; the load stops after 50 of them.
      let after: number | undefined;
      // Bounded: at most 20k requests, and it stops once the reload is over.
      // The reload starts once 100 requests went through, however busy the machine.
      let started!: () => void;
      const flowing = new Promise<void>((resolve) => {
        started = resolve;
      });
      const running = load(sites[mode], {
        count: 20_000,
        concurrency: 8,
        startAfter: 100,
        during: () => started(),
        stopWhen: () => after !== undefined && ++after > 50,
      });
      await Promise.race([flowing, running]);
      tsgi.child.kill('SIGHUP');
      await waitCount(tsgi, /reload done/g, reloads + 1);
      // let the old workers drain while requests keep coming
      await until(() => !readyWorkers(tsgi.stderr()).some((pid) => before.includes(pid)), {
        ms: BOUNDS.process,
        what: 'the old workers to exit',
        details: tsgi.output,
      });
      after = 0;
      const result = await running;
      expect(result.failed).toEqual([]);
      expect(result.ok).toBeGreaterThan(100);
      if (mode === 'uwsgi') {
        // Every uwsgi connection carries a request, and draining workers serve each one.
        const log = readFileSync(join(dir, 'logs', 'error.log'), 'utf8');
        expect(log).not.toMatch(/uwsgi:\/\/unix/);
      }
      // Over keep-alive, the old workers close no idle connection Nginx could send on
      // (see zero-loss.test.ts for POST load, where Nginx would not retry).
    });
  }
});
