/**
 * One contender of bench/nginx.ts: starts a backend on a Unix socket and
 * Nginx (deploy/nginx.conf rendered for a temp dir) in front of it, prints
 * `{"port": N}` for the harness, and stops both on SIGTERM.
 *
 *   tsx bench/nginx/launch.ts tsgi-uwsgi|tsgi-http|tsgi-fastcgi|node-http|uwsgi-python
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findNginx, freePort, startNginx } from '../../test/cli/nginx.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const kind = process.argv[2] ?? '';
const workers = process.env.BENCH_WORKERS ?? '2';
const dir = mkdtempSync(join(tmpdir(), `tsgi-bench-${kind}-`));
const uwsgiSocket = join(dir, 'tsgi.sock');
const httpSocket = join(dir, 'tsgi-http.sock');
const fastcgiSocket = join(dir, 'tsgi-fastcgi.sock');
// bench/nginx.ts bundles the CLI here, apart from dist/ (which a parallel build may clean).
const cli = fileURLToPath(new URL('../../node_modules/.cache/tsgi-bench/cli.js', import.meta.url));

/** `tsgi serve app.mjs` over `protocol` on `socket` with the bench's worker count. */
function tsgi(protocol: string, socket: string, extra: string[] = []): ChildProcess {
  const args = [cli, 'serve', 'app.mjs', '--protocol', protocol, '--socket', socket];
  return spawn(process.execPath, [...args, '--workers', workers, ...extra], {
    cwd: here,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

// Kept-alive upstreams: above Nginx's upstream keepalive_timeout, as in the deploy files.
const keepAlive = ['--keep-alive-timeout', '75'];

function backend(): { child: ChildProcess; site: 'uwsgi' | 'http' | 'fastcgi' } {
  const options = { cwd: here, stdio: ['ignore', 'ignore', 'pipe'] as ('ignore' | 'pipe')[] };
  switch (kind) {
    case 'tsgi-uwsgi':
      return { site: 'uwsgi', child: tsgi('uwsgi', uwsgiSocket) };
    case 'tsgi-http':
      return { site: 'http', child: tsgi('http', httpSocket, keepAlive) };
    case 'tsgi-fastcgi':
      return { site: 'fastcgi', child: tsgi('fastcgi', fastcgiSocket, keepAlive) };
    case 'node-http':
      return {
        site: 'http',
        child: spawn(process.execPath, ['node-http.mjs'], {
          ...options,
          env: { ...process.env, SOCKET: httpSocket, WORKERS: workers },
        }),
      };
    case 'uwsgi-python':
      return {
        site: 'uwsgi',
        child: spawn(
          'uwsgi',
          [
            '--plugin',
            'python3',
            '--master',
            '--processes',
            workers,
            '--socket',
            uwsgiSocket,
            '--chmod-socket=660',
            '--wsgi-file',
            'app.py',
            '--disable-logging',
            '--die-on-term',
            '--need-app',
          ],
          options,
        ),
      };
    default:
      throw new Error(`unknown contender ${kind}`);
  }
}

const { child, site } = backend();
let log = '';
child.stderr!.on('data', (chunk: Buffer) => {
  log += chunk.toString();
});
const socket = { uwsgi: uwsgiSocket, http: httpSocket, fastcgi: fastcgiSocket }[site];
const deadline = Date.now() + 20_000;
// Wait for the backend's socket to accept.
const { connect } = await import('node:net');
for (;;) {
  const open = await new Promise<boolean>((resolve) => {
    const probe = connect({ path: socket });
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (open) break;
  if (child.exitCode !== null || Date.now() > deadline) {
    throw new Error(`${kind} did not start:\n${log}`);
  }
  await new Promise((r) => setTimeout(r, 50));
}
const nginxBinary = findNginx();
if (nginxBinary === undefined) throw new Error('nginx is not installed');
const [uwsgiPort, httpPort, fastcgiPort] = [await freePort(), await freePort(), await freePort()];
const nginx = await startNginx(nginxBinary, {
  dir,
  uwsgiPort,
  httpPort,
  fastcgiPort,
  uwsgiSocket,
  httpSocket,
  fastcgiSocket,
});
console.log(
  JSON.stringify({ port: { uwsgi: uwsgiPort, http: httpPort, fastcgi: fastcgiPort }[site] }),
);

process.on('SIGTERM', async () => {
  await nginx.stop();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(kind === 'uwsgi-python' ? 'SIGINT' : 'SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
});
