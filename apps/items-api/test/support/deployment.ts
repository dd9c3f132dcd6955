/**
 * Renders the files of deploy/ for a temp dir and runs them: the systemd
 * unit's ExecStartPre/ExecStart (with the bundled CLIs), tsgi.json, the
 * variables of .env.example, and Debian's nginx with deploy/nginx.conf wrapped
 * in a minimal main config, on a listening socket the test hands it.
 * Only paths, the port and the module are replaced; a render fails loudly when
 * a file lost a line it replaces.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
// Finding, running and stopping Nginx is @tsgi/node's test code; one copy, shared.
import { findNginx, listenOnLoopback, runNginx } from '../../../../packages/node/test/cli/nginx.js';
import { APPLICATION, DEPLOY_DIR } from './paths.js';

/** `text` with `from` replaced by `to`; throws naming deploy/`file` when `from` is not in it. */
export function replace(
  text: string,
  from: string | RegExp,
  to: string | ((match: string) => string),
  file: string,
): string {
  const found = typeof from === 'string' ? text.includes(from) : from.test(text);
  if (!found) throw new Error(`deploy/${file} no longer contains ${String(from)}`);
  if (typeof to === 'function') return text.replace(from, to);
  return typeof from === 'string' ? text.replaceAll(from, to) : text.replace(from, to);
}

/** The text of deploy/`name`. */
export const read = (name: string) => readFileSync(`${DEPLOY_DIR}${name}`, 'utf8');

/** An Nginx time (`10s`, `1m`, `500ms`, a bare number of seconds) in seconds. */
export function nginxSeconds(value: string): number {
  const match = /^(\d+)(ms|s|m|h)?$/.exec(value);
  if (match === null) throw new Error(`not an Nginx time: ${value}`);
  const scale = { ms: 0.001, s: 1, m: 60, h: 3600 }[match[2] ?? 's']!;
  return Number(match[1]) * scale;
}

/**
 * The idle connections `upstream name { … }` in an Nginx site file keeps:
 * its `keepalive` count and `keepalive_timeout` in seconds, each undefined
 * when not set. Throws when there is no such upstream.
 */
export function upstreamKeepalive(
  text: string,
  name: string,
): { connections?: number; timeoutSeconds?: number } {
  const block = new RegExp(`^\\s*upstream ${name} \\{\\n([^}]*)\\}`, 'm').exec(text);
  if (block === null) throw new Error(`no upstream ${name}`);
  const connections = /^\s*keepalive (\d+);$/m.exec(block[1]!);
  const timeout = /^\s*keepalive_timeout (\S+);$/m.exec(block[1]!);
  return {
    connections: connections === null ? undefined : Number(connections[1]),
    timeoutSeconds: timeout === null ? undefined : nginxSeconds(timeout[1]!),
  };
}

/** Paths of a rendered deployment. */
export interface Layout {
  dir: string;
  socket: string;
  static: string;
  state: string;
  tsgiConfig: string;
}

/** Where a deployment rendered into `dir` keeps its socket, static files, state and tsgi.json. */
export function layout(dir: string): Layout {
  return {
    dir,
    socket: `${dir}/run/tsgi.sock`,
    static: `${dir}/static/`,
    state: `${dir}/state/`,
    tsgiConfig: `${dir}/tsgi.json`,
  };
}

/** How Nginx talks to tsgi: the file's default (proxy_pass, `http`) or its uwsgi_pass variant. */
export type Variant = 'uwsgi' | 'http';

/**
 * deploy/tsgi.json with the module and the socket directory moved into `dir`;
 * for the uwsgi_pass variant, `"protocol": "uwsgi"` as docs/deploy/items-api.md says.
 */
export function renderTsgiJson(paths: Layout, variant: Variant = 'http'): string {
  const file = 'tsgi.json';
  let text = read(file);
  text = replace(text, '/srv/items-api/apps/items-api/dist/application.js', APPLICATION, file);
  text = replace(text, '/run/items-api/', `${paths.dir}/run/`, file);
  if (variant === 'uwsgi') {
    // As nginx.conf's uwsgi_pass comment says: uwsgi, and no trusted X-Forwarded-For.
    text = replace(text, '"protocol": "http"', '"protocol": "uwsgi"', file);
    text = replace(text, '  "trust-proxy": "unix",\n', '', file);
  }
  return text;
}

/**
 * Switches deploy/nginx.conf to its uwsgi_pass variant the way docs/deploy/items-api.md
 * tells a reader to: uncomment the `items_api_uwsgi` upstream and the
 * `include`/`uwsgi_*` lines of `location /`, remove its `proxy_*` lines and
 * the `location = /items/events` block.
 */
export function uwsgiVariant(text: string): string {
  const file = 'nginx.conf';
  let out = replace(
    text,
    /^# upstream items_api_uwsgi \{\n(?:# +[a-z_]+ [^\n]+;\n)+# \}$/m,
    (block) => block.replace(/^# /gm, ''),
    file,
  );
  out = replace(out, /^ {4}# The WebSocket of item creations[^\n]*\n(?: {4}#[^\n]*\n)*/m, '', file);
  out = replace(out, /^ {4}location = \/items\/events \{\n[\s\S]*?^ {4}\}\n\n/m, '', file);
  const root = /^ {4}location \/ \{\n[\s\S]*?^ {4}\}\n/m;
  out = replace(
    out,
    root,
    (block) =>
      block
        .replace(/^ +proxy_[a-z_]+ [^\n]+\n/gm, '')
        .replace(/^( +)# ((?:include uwsgi_params|uwsgi_[a-z_]+ [^\n]+);)$/gm, '$1$2'),
    file,
  );
  return out;
}
/** The uncommented `KEY=value` lines of deploy/.env.example, the SQLite file moved into `dir`. */
export function envFromExample(paths: Layout): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of read('.env.example').split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match !== null) env[match[1]!] = match[2]!;
  }
  env.DATABASE_URL = replace(
    env.DATABASE_URL ?? '',
    'sqlite:/var/lib/items-api/',
    `sqlite:${paths.state}`,
    '.env.example',
  );
  return env;
}

/** The arguments the unit gives a script (after `dist/cli.js`) in `ExecStartPre=` or `ExecStart=`, with paths moved. */
export function unitCommand(key: 'ExecStartPre' | 'ExecStart', paths: Layout): string[] {
  const line = read('items-api.service')
    .split('\n')
    .find((l) => l.startsWith(`${key}=`));
  if (line === undefined) throw new Error(`deploy/items-api.service has no ${key}=`);
  const words = line
    .slice(key.length + 1)
    .trim()
    .split(/\s+/);
  const script = words.findIndex((w) => w.endsWith('/dist/cli.js'));
  if (script === -1) throw new Error(`${key} runs no dist/cli.js: ${line}`);
  return words
    .slice(script + 1)
    .map((w) => (w === '/srv/items-api/apps/items-api/deploy/tsgi.json' ? paths.tsgiConfig : w));
}

/** deploy/nginx.conf (or its uwsgi_pass variant) for a temp dir, listening on 127.0.0.1:`port`. */
export function renderNginxSite(paths: Layout, port: number, variant: Variant = 'http'): string {
  const file = 'nginx.conf';
  let text = variant === 'uwsgi' ? uwsgiVariant(read(file)) : read(file);
  text = replace(text, /^\s*listen 80;$/m, `    listen 127.0.0.1:${port};`, file);
  text = replace(text, /^\s*listen \[::\]:80;\n/m, '', file);
  text = replace(text, '/var/log/nginx/', `${paths.dir}/logs/`, file);
  text = replace(text, 'unix:/run/items-api/tsgi.sock;', `unix:${paths.socket};`, file);
  text = replace(text, '/srv/items-api/static/', paths.static, file);
  return text;
}

/**
 * A minimal main nginx.conf for a temp `dir` (pid, error log and temp paths in
 * it) that includes the site file `site`, as /etc/nginx/nginx.conf includes
 * sites-enabled. `mime.types` and `uwsgi_params` are expected next to it.
 */
export function nginxMainConf(dir: string, site: string): string {
  const temp = `${dir}/temp`;
  return [
    // As root, workers would drop to nobody, who cannot enter the temp dir.
    process.getuid?.() === 0 ? 'user root;' : '',
    'worker_processes 1;',
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/logs/error.log warn;`,
    'events { worker_connections 256; }',
    'http {',
    '  include mime.types;',
    '  default_type application/octet-stream;',
    `  client_body_temp_path ${temp}/body; proxy_temp_path ${temp}/proxy; uwsgi_temp_path ${temp}/uwsgi;`,
    `  fastcgi_temp_path ${temp}/fastcgi; scgi_temp_path ${temp}/scgi;`,
    `  include ${site};`,
    '}',
    '',
  ].join('\n');
}

/** A running nginx. */
export interface Nginx {
  port: number;
  errorLog(): string;
  stop(): Promise<void>;
}

/**
 * Starts Debian's nginx in the foreground on the rendered site; resolves once
 * it runs. Its port is one the kernel picked: the test listens on port 0 and
 * hands that socket to nginx, which takes a listening socket named in the
 * `NGINX` variable (`"3;"`, as for its binary upgrade) for the `listen` of the
 * same address, so no port is guessed and none is released for another
 * process to take in between. It runs in its own process group, stopped as one.
 */
export async function startNginx(paths: Layout, variant: Variant = 'http'): Promise<Nginx> {
  const nginx = findNginx();
  if (nginx === undefined) {
    throw new Error(
      'nginx is not installed: run `bash scripts/install-system-deps.sh` as root, or `apt-get install nginx`',
    );
  }
  const listener = await listenOnLoopback();
  const address = listener.address() as AddressInfo;
  const conf = `${paths.dir}/nginx/`;
  for (const sub of ['nginx', 'logs', 'temp'])
    mkdirSync(`${paths.dir}/${sub}`, { recursive: true });
  // `include uwsgi_params` and `mime.types` resolve next to the main config, as in /etc/nginx.
  copyFileSync('/etc/nginx/uwsgi_params', `${conf}uwsgi_params`);
  copyFileSync('/etc/nginx/mime.types', `${conf}mime.types`);
  writeFileSync(`${conf}items-api.conf`, renderNginxSite(paths, address.port, variant));
  writeFileSync(`${conf}nginx.conf`, nginxMainConf(paths.dir, 'items-api.conf'));
  const logs = ['error.log', 'items-api.error.log'].map((name) => `${paths.dir}/logs/${name}`);
  const { errorLog, stop } = await runNginx(nginx, {
    dir: paths.dir,
    conf: `${conf}nginx.conf`,
    ports: [],
    logs,
    inherit: { servers: [listener], pid: `${paths.dir}/nginx.pid` },
  });
  return { port: address.port, errorLog, stop };
}
