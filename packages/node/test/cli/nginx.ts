/**
 * Runs Debian's nginx as a non-daemon child with packages/node/deploy/nginx.conf,
 * rendered for a temp dir: prefix, pid, logs and temp paths there, the three
 * sites on loopback ports, the upstreams on the given Unix sockets. The tests
 * (`startNginxOnHeldPorts`: ports the kernel picked, held until nginx takes
 * them over) and bench/nginx.ts (`startNginx`) share it, so the documented
 * file is the one run. apps/items-api's tests reuse `findNginx`, `readLogs`,
 * `listenOnLoopback` and `runNginx` (a relative import: test code only).
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { BOUNDS, bound, guarded, stopGroup, until } from '../../../../tools/test-support/index.ts';

/** packages/node/deploy/. */
export const DEPLOY = fileURLToPath(new URL('../../deploy/', import.meta.url));

/** What a rendered nginx.conf points at. */
export interface NginxSites {
  /** Temp dir for prefix, pid, logs and temp files. */
  dir: string;
  /** Port of the uwsgi_pass site (port 80 in the file). */
  uwsgiPort: number;
  /** Port of the proxy_pass site (port 8080 in the file). */
  httpPort: number;
  /** Socket of the uwsgi upstream (/run/tsgi/tsgi.sock in the file). */
  uwsgiSocket: string;
  /** Socket of the HTTP upstream (/run/tsgi/tsgi-http.sock in the file). */
  httpSocket: string;
  /** Port of the fastcgi_pass site (port 8081 in the file). */
  fastcgiPort: number;
  /** Socket of the FastCGI upstream (/run/tsgi/tsgi-fastcgi.sock in the file). */
  fastcgiSocket: string;
}

function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from))
    throw new Error(`deploy/nginx.conf no longer contains ${JSON.stringify(from)}`);
  return text.replaceAll(from, to);
}

/** Renders deploy/nginx.conf for `sites`; throws when the file lost a line the render relies on. */
export function renderNginxConf(
  sites: NginxSites,
  template = readFileSync(`${DEPLOY}nginx.conf`, 'utf8'),
): string {
  let text = template;
  const isRoot = process.getuid?.() === 0;
  // As root, Nginx's workers would drop to www-data and could not reach a temp dir.
  text = replaceOnce(text, 'user www-data;', isRoot ? 'user root;' : '');
  text = replaceOnce(text, 'pid /run/nginx.pid;', `pid ${sites.dir}/nginx.pid;`);
  text = replaceOnce(text, '/var/log/nginx/', `${sites.dir}/logs/`);
  text = replaceOnce(text, '/var/lib/nginx/', `${sites.dir}/temp/`);
  text = replaceOnce(text, 'unix:/run/tsgi/tsgi.sock;', `unix:${sites.uwsgiSocket};`);
  text = replaceOnce(text, 'unix:/run/tsgi/tsgi-http.sock;', `unix:${sites.httpSocket};`);
  text = replaceOnce(text, 'listen 80;', `listen 127.0.0.1:${sites.uwsgiPort};`);
  text = replaceOnce(text, 'unix:/run/tsgi/tsgi-fastcgi.sock;', `unix:${sites.fastcgiSocket};`);
  text = replaceOnce(text, 'listen 8080;', `listen 127.0.0.1:${sites.httpPort};`);
  text = replaceOnce(text, 'listen 8081;', `listen 127.0.0.1:${sites.fastcgiPort};`);
  return text;
}

/**
 * A free loopback TCP port (bound once and released). For bench/nginx.ts; a
 * test must not use it, since another process may take the port before it
 * is bound again: tests use {@link listenOnLoopback} and hand the socket over.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The nginx binary, or undefined when it is not installed. */
export function findNginx(): string | undefined {
  for (const candidate of ['/usr/sbin/nginx', '/usr/bin/nginx']) {
    try {
      execFileSync(candidate, ['-v'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // next
    }
  }
  try {
    return execFileSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** `nginx -v` output, e.g. `nginx version: nginx/1.22.1`. */
export function nginxVersion(nginx: string): string {
  // nginx prints its version on stderr
  const result = spawnSync(nginx, ['-v'], { encoding: 'utf8' });
  return `${result.stderr ?? ''}${result.stdout ?? ''}`.trim();
}

/** A running nginx. */
export interface RunningNginx {
  readonly child: ChildProcess;
  /** Its error log so far. */
  errorLog(): string;
  stop(): Promise<void>;
}

/** What {@link runNginx} runs: a written main config and the ports it must open. */
export interface NginxRun {
  /** The prefix (`nginx -p`); relative paths in the config resolve against it. */
  dir: string;
  /** The main config file, already written. */
  conf: string;
  /** Loopback TCP ports the config listens on; resolves once each accepts connections. */
  ports: number[];
  /** Log files (besides stderr) that {@link RunningNginx.errorLog} reads. */
  logs: string[];
  /**
   * Listening sockets nginx takes over for the `listen`s of the same addresses
   * (as fds 3, 4… named in the `NGINX` variable, as for its binary upgrade);
   * this process closes its copies once nginx is spawned. With them, `pid` (the
   * config's pid file) tells when nginx runs: the sockets accept from the start.
   */
  inherit?: { servers: Server[]; pid: string };
}

/** The text of Nginx's log `files`, one after another; a file not written (yet) adds nothing. */
export function readLogs(files: string[]): string {
  let log = '';
  for (const file of files) {
    try {
      log += readFileSync(file, 'utf8');
    } catch {
      // not written (yet)
    }
  }
  return log;
}

/**
 * Starts `nginx -p dir -c conf -g 'daemon off;'` as a child in its own process
 * group and waits (up to `BOUNDS.process`) until it runs: its pid file is
 * written, with `inherit`; otherwise every port accepts a connection. `stop()`
 * asks it to quit (SIGQUIT), kills its group if it has not within
 * `BOUNDS.short`, and always kills what its master left behind.
 */
export async function runNginx(nginx: string, run: NginxRun): Promise<RunningNginx> {
  const servers = run.inherit?.servers ?? [];
  // The listening sockets' descriptors (Node keeps them on the handle), as fds 3, 4…
  const fds = servers.map(
    (server) => (server as unknown as { _handle: { fd: number } })._handle.fd,
  );
  const child = spawn(nginx, ['-p', `${run.dir}/`, '-c', run.conf, '-g', 'daemon off;'], {
    env:
      fds.length === 0
        ? process.env
        : { ...process.env, NGINX: fds.map((_, i) => `${3 + i};`).join('') },
    stdio: ['ignore', 'ignore', 'pipe', ...fds],
    detached: true,
  });
  // nginx holds its own copies now; these must not accept anything.
  for (const server of servers) server.close();
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const errorLog = () => stderr + readLogs(run.logs);
  const stop = async () => {
    // SIGQUIT to the master only (its workers quit when it tells them); then its group.
    await stopGroup(child, exited, { signal: 'SIGQUIT', graceMs: bound(BOUNDS.short) });
  };
  const running = async () => {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`nginx exited (${child.exitCode ?? child.signalCode}):\n${errorLog()}`);
    if (run.inherit !== undefined) return existsSync(run.inherit.pid);
    for (const port of run.ports) if (!(await accepts(port))) return false;
    return true;
  };
  try {
    await until(running, {
      ms: BOUNDS.process,
      what: run.ports.length === 0 ? 'nginx to start' : `nginx to run on ${run.ports.join(', ')}`,
      every: 50,
      details: errorLog,
    });
  } catch (error) {
    // The start's error is the one reported; a failing stop is printed beside it.
    await guarded(() => Promise.reject(error), stop);
  }
  return { child, errorLog, stop };
}

/** A TCP server listening on 127.0.0.1, on a port the kernel picked (for nginx to take over). */
export function listenOnLoopback(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Writes deploy/nginx.conf rendered for `sites` and runs it ({@link runNginx})
 * until every port accepts. For bench/nginx.ts, which picks its ports itself;
 * tests use {@link startNginxOnHeldPorts}.
 */
export async function startNginx(
  nginx: string,
  sites: NginxSites,
  inherit?: Server[],
): Promise<RunningNginx> {
  mkdirSync(`${sites.dir}/logs`, { recursive: true });
  mkdirSync(`${sites.dir}/temp`, { recursive: true });
  const conf = `${sites.dir}/nginx.conf`;
  writeFileSync(conf, renderNginxConf(sites));
  return runNginx(nginx, {
    dir: sites.dir,
    conf,
    ports: [sites.uwsgiPort, sites.httpPort, sites.fastcgiPort],
    logs: [`${sites.dir}/logs/error.log`],
    ...(inherit === undefined
      ? {}
      : { inherit: { servers: inherit, pid: `${sites.dir}/nginx.pid` } }),
  });
}

/**
 * deploy/nginx.conf run for `upstreams` ({@link startNginx}) with its three
 * sites on loopback ports the kernel picked: the test listens on port 0 and
 * hands the sockets to nginx, so no port is guessed and none is released for
 * another process to take in between. Resolves with nginx and its sites.
 */
export async function startNginxOnHeldPorts(
  nginx: string,
  upstreams: Pick<NginxSites, 'dir' | 'uwsgiSocket' | 'httpSocket' | 'fastcgiSocket'>,
): Promise<{ nginx: RunningNginx; sites: NginxSites }> {
  const held = [await listenOnLoopback(), await listenOnLoopback(), await listenOnLoopback()];
  const [uwsgiPort, httpPort, fastcgiPort] = held.map(
    (server) => (server.address() as { port: number }).port,
  ) as [number, number, number];
  const sites = { ...upstreams, uwsgiPort, httpPort, fastcgiPort };
  try {
    return { nginx: await startNginx(nginx, sites, held), sites };
  } finally {
    // Closed already once nginx was spawned; here too if it never was.
    for (const server of held) server.close();
  }
}

/**
 * Renders a deploy/ file for a temp dir: `/run/tsgi/` becomes `dir/`, and
 * `module = dist/app.js` (or `"dist/app.js"`) points at `module`.
 */
export function renderDeployFile(name: string, dir: string, module: string): string {
  const text = readFileSync(`${DEPLOY}${name}`, 'utf8');
  return replaceOnce(replaceOnce(text, '/run/tsgi/', `${dir}/`), 'dist/app.js', module);
}
