/**
 * The deployment of docs/deploy/many-hosts.md on namespaced hosts:
 * PostgreSQL 15 in `db`, `items-api --mode server` with deploy/many-hosts.env
 * in each app host, Nginx with deploy/nginx-many-hosts.conf in `web`. Only the
 * host names, log paths and the password are replaced in the files.
 */
import { chownSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNginx, readLogs } from '../../../../packages/node/test/cli/nginx.js';
import { nginxMainConf, read, replace } from './deployment.js';
import { execIn, type Host, type Proc, RUN_PREFIX, spawnIn } from './netns.js';
import { ITEMS_API, TSGI } from './paths.js';
import { binDir, pgCtlSeconds, pgCtlStart } from './postgres.js';
import { cliEnv } from './processes.js';

/** A fresh temp dir with this run's prefix (removed by `removeHosts`). */
export const tempDir = (): string => mkdtempSync(join(tmpdir(), RUN_PREFIX));

/** deploy/many-hosts.env as variables, `db.internal` replaced by the db host's address. */
export function hostEnv(db: Host): Record<string, string> {
  const file = 'many-hosts.env';
  const env: Record<string, string> = {};
  for (const line of read(file).split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match !== null) env[match[1]!] = match[2]!;
  }
  env.DATABASE_URL = replace(env.DATABASE_URL ?? '', '@db.internal:', `@${db.address}:`, file);
  return env;
}

/**
 * The access log format of the test's Nginx: each request with the hosts it
 * was sent to and what each answered, to explain a failed request.
 */
const UPSTREAMS_FORMAT =
  "log_format upstreams '$msec $request $status up=$upstream_addr " +
  "ups=$upstream_status t=$upstream_response_time';";

/**
 * deploy/nginx-many-hosts.conf with the app hosts' addresses and logs in `dir`;
 * its access log also names the upstreams each request was sent to.
 */
export function renderSite(apps: Host[], dir: string): string {
  const file = 'nginx-many-hosts.conf';
  let text = read(file);
  apps.forEach((app, i) => {
    text = replace(text, `server app${i + 1}.internal:8002`, `server ${app.address}:8002`, file);
  });
  text = replace(text, 'items-api.access.log;', 'items-api.access.log upstreams;', file);
  return `${UPSTREAMS_FORMAT}\n${replace(text, '/var/log/nginx/', `${dir}/logs/`, file)}`;
}

/** PostgreSQL running in a host, on its address, port 5432. */
export interface HostPostgres {
  /** Runs one SQL statement as `postgres` on `database`; the rows, `|`-separated. */
  sql(query: string, database?: string): string;
  start(): void;
  /** A fast shutdown (`pg_ctl stop -m fast`). */
  stop(): void;
  /** Whether the server runs (`pg_ctl status`). */
  running(): boolean;
}

/**
 * initdb and pg_ctl start in `db` (as the `postgres` user), listening on its
 * address for the /24 with trust authentication, with role and database
 * `items_api` (owner of the database; empty).
 */
export function startHostPostgres(db: Host): HostPostgres {
  const bin = binDir();
  const dir = tempDir();
  const data = join(dir, 'data');
  const uid = Number(execIn(db, 'id', ['-u', 'postgres']).trim());
  const gid = Number(execIn(db, 'id', ['-g', 'postgres']).trim());
  chownSync(dir, uid, gid);
  const asPostgres = (program: string, args: string[]) =>
    execIn(db, 'runuser', ['-u', 'postgres', '--', join(bin, program), ...args]);
  asPostgres('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
  writeFileSync(
    join(data, 'pg_hba.conf'),
    `local all all trust\nhost all all ${db.address.replace(/\.\d+$/, '.0')}/24 trust\n`,
  );
  const options = `-h ${db.address} -p 5432 -k ${dir} -c fsync=off -c max_connections=100`;
  const pg: HostPostgres = {
    sql: (query, database = 'postgres') =>
      asPostgres('psql', ['-h', dir, '-d', database, '-AtX', '-v', 'ON_ERROR_STOP=1', '-c', query]),
    start: () => {
      asPostgres('pg_ctl', pgCtlStart(data, dir, options));
    },
    stop: () => {
      asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', pgCtlSeconds(), 'stop']);
    },
    running: () => {
      try {
        asPostgres('pg_ctl', ['-D', data, 'status']);
        return true;
      } catch {
        return false; // exit status 3: not running
      }
    },
  };
  pg.start();
  pg.sql("CREATE ROLE items_api LOGIN PASSWORD 'change-me'");
  pg.sql('CREATE DATABASE items_api OWNER items_api');
  return pg;
}

/** `items-api --mode server` in `app`, with deploy/many-hosts.env (HOST, PORT, TSGI_WORKERS). */
export function startApp(app: Host, db: Host): Proc {
  return spawnIn(
    app,
    process.execPath,
    [ITEMS_API, '--mode', 'server'],
    cliEnv({ ...hostEnv(db), TSGI_BIN: TSGI }),
  );
}

/** Nginx in `web`; `errorLog()` is the text of both of its error logs. */
export interface WebNginx extends Proc {
  errorLog(): string;
  /** The site's access log, a line per request with the upstreams it was sent to. */
  accessLog(): string[];
}

/** Nginx in `web` with the rendered site file, in the foreground. */
export function startWebNginx(web: Host, apps: Host[]): WebNginx {
  const nginx = findNginx();
  if (nginx === undefined)
    throw new Error('nginx is not installed: run `bash scripts/install-system-deps.sh`');
  const dir = tempDir();
  for (const sub of ['conf', 'logs', 'temp']) mkdirSync(`${dir}/${sub}`, { recursive: true });
  copyFileSync('/etc/nginx/mime.types', `${dir}/conf/mime.types`);
  writeFileSync(`${dir}/conf/site.conf`, renderSite(apps, dir));
  writeFileSync(`${dir}/conf/nginx.conf`, nginxMainConf(dir, 'site.conf'));
  const proc = spawnIn(
    web,
    nginx,
    ['-p', `${dir}/`, '-c', `${dir}/conf/nginx.conf`, '-g', 'daemon off;'],
    process.env,
  );
  const errorLog = () =>
    readLogs(['error.log', 'items-api.error.log'].map((name) => `${dir}/logs/${name}`));
  const accessLog = () =>
    readLogs([`${dir}/logs/items-api.access.log`])
      .split('\n')
      .filter((line) => line !== '');
  return { ...proc, errorLog, accessLog };
}
