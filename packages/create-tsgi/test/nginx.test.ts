/**
 * The last step of a new app's README, on a real Nginx (Debian's, from
 * scripts/install-system-deps.sh), for each protocol: the app built in a temp
 * folder standing for /srv/app, with the workspace packages in its
 * node_modules; tsgi started from the unit's ExecStart line with the
 * protocol's config; Nginx run with the generated deploy/nginx.conf; then the
 * README's `curl` line, with the port the kernel picked for Nginx's site. The
 * paths of /srv/app, /etc/tsgi, /run/tsgi and Nginx's own are rewritten to
 * the temp folder, port 80 to that loopback port, as packages/node's tests do.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOUNDS, bound, guarded } from '../../../tools/test-support/index.ts';
import {
  findNginx,
  listenOnLoopback,
  type RunningNginx,
  runNginx,
} from '../../node/test/cli/nginx.ts';
import { startTsgi, stopTsgi, type Tsgi } from '../../node/test/cli/run-tsgi.ts';
import { PROTOCOLS, scaffold } from '../src/index.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'create-tsgi-nginx-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The packages a new app depends on at run time, linked from the workspace (built). */
const RUNTIME = ['node', 'router', 'spec', 'middleware-cors', 'middleware-timing'];

/** Replaces every `from` in `text`; throws when the generated file has none. */
function replaceAll(text: string, from: string, to: string, file: string): string {
  if (!text.includes(from)) throw new Error(`${file} no longer contains ${JSON.stringify(from)}`);
  return text.replaceAll(from, to);
}

/** The app's node_modules as `npm ci` would leave what the README's steps use. */
function linkWorkspace(app: string): void {
  mkdirSync(join(app, 'node_modules/@tsgi'), { recursive: true });
  mkdirSync(join(app, 'node_modules/.bin'));
  for (const name of RUNTIME) {
    symlinkSync(join(repo, 'packages', name), join(app, 'node_modules/@tsgi', name));
  }
  symlinkSync(join(repo, 'packages/node/dist/cli.js'), join(app, 'node_modules/.bin/tsgi'));
  symlinkSync(join(repo, 'node_modules/typescript/bin/tsc'), join(app, 'node_modules/.bin/tsc'));
}

/** The README's final check: its `curl` line, and the output its comment shows. */
function finalCheck(readme: string): { args: string[]; shows: string } {
  const line = readme.split('\n').findLast((l) => l.startsWith('curl '));
  if (line === undefined) throw new Error('the README has no curl line');
  const [command, comment] = line.split(/\s+#\s+/);
  return { args: command!.trim().split(/\s+/).slice(1), shows: comment!.trim() };
}

describe.each(PROTOCOLS)('a %s app behind Nginx, as its README deploys it', (protocol) => {
  const root = join(work, protocol);
  const app = join(root, 'srv-app');
  const etc = join(root, 'etc-tsgi');
  const run = join(root, 'run-tsgi');
  const nginxDir = join(root, 'nginx');
  let tsgi: Tsgi | undefined;
  let nginx: RunningNginx | undefined;
  let port: number;

  beforeAll(async () => {
    const binary = findNginx();
    if (binary === undefined) {
      throw new Error('nginx is not installed: run scripts/install-system-deps.sh');
    }
    for (const dir of [etc, run, join(nginxDir, 'logs'), join(nginxDir, 'temp')]) {
      mkdirSync(dir, { recursive: true });
    }
    scaffold({ dir: app, name: `${protocol}-app`, protocol });
    linkWorkspace(app);
    // 1. the app, built (npm run build: tsc into dist/)
    execFileSync('npm', ['run', 'build'], {
      cwd: app,
      stdio: 'pipe',
      timeout: bound(BOUNDS.slow),
    });
    // 2. tsgi's config in /etc/tsgi, started as the unit starts it
    const unit = readFileSync(join(app, 'deploy/tsgi.service'), 'utf8');
    const config = /--config \/etc\/tsgi\/(\S+)$/m.exec(unit)![1]!;
    writeFileSync(
      join(etc, config),
      replaceAll(
        readFileSync(join(app, 'deploy', config), 'utf8'),
        '/run/tsgi/',
        `${run}/`,
        config,
      ),
    );
    const execStart = /^ExecStart=(.+)$/m.exec(unit)![1]!;
    const command = execStart
      .split(/\s+/)
      .map((word) => word.replace(/^\/srv\/app\//, `${app}/`).replace(/^\/etc\/tsgi\//, `${etc}/`));
    expect(/^WorkingDirectory=(.+)$/m.exec(unit)![1]).toBe('/srv/app');
    tsgi = startTsgi([], { command, cwd: app, env: { NODE_ENV: 'production' }, wholeFile: true });
    await tsgi.listening;
    // 3. Nginx with deploy/nginx.conf, its site on a port the kernel picked
    const held = await listenOnLoopback();
    port = (held.address() as { port: number }).port;
    const file = 'deploy/nginx.conf';
    let conf = readFileSync(join(app, file), 'utf8');
    conf = replaceAll(conf, 'user www-data;', process.getuid?.() === 0 ? 'user root;' : '', file);
    conf = replaceAll(conf, 'pid /run/nginx.pid;', `pid ${nginxDir}/nginx.pid;`, file);
    conf = replaceAll(conf, '/var/log/nginx/', `${nginxDir}/logs/`, file);
    conf = replaceAll(conf, '/var/lib/nginx/', `${nginxDir}/temp/`, file);
    conf = replaceAll(conf, 'unix:/run/tsgi/', `unix:${run}/`, file);
    conf = replaceAll(conf, 'listen 80;', `listen 127.0.0.1:${port};`, file);
    writeFileSync(join(nginxDir, 'nginx.conf'), conf);
    try {
      nginx = await runNginx(binary, {
        dir: nginxDir,
        conf: join(nginxDir, 'nginx.conf'),
        ports: [port],
        logs: [join(nginxDir, 'logs/error.log')],
        inherit: { servers: [held], pid: join(nginxDir, 'nginx.pid') },
      });
    } finally {
      held.close();
    }
  });

  afterAll(() =>
    guarded(
      () => nginx?.stop(),
      () => stopTsgi(tsgi),
    ),
  );

  it('passes the README’s final check: curl on port 80 gets the app’s answer', () => {
    const { args, shows } = finalCheck(readFileSync(join(app, 'README.md'), 'utf8'));
    expect(shows).toBe(`{"message":"Hello from ${protocol}-app"}`);
    const target = args.map((arg) => {
      if (!arg.startsWith('http://')) return arg;
      const url = new URL(arg);
      expect(url.port, 'the README curls port 80').toBe('');
      url.port = String(port);
      return url.href;
    });
    // curl -f exits non-zero on an HTTP error (a 502 from Nginx), and execFileSync throws then.
    const output = execFileSync(
      'curl',
      [...target, '--max-time', String(Math.ceil(bound(BOUNDS.short) / 1000))],
      {
        encoding: 'utf8',
        stdio: 'pipe',
        timeout: bound(BOUNDS.process),
      },
    );
    expect(JSON.parse(output)).toEqual(JSON.parse(shows));
    expect(nginx!.errorLog()).not.toMatch(/\[(error|crit|alert|emerg)\]/);
    expect(tsgi!.stderr()).toMatch(new RegExp(`\\(${protocol}, 2 workers\\)`));
  });
});
