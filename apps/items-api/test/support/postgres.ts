import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { BOUNDS, bound } from '../../../../tools/test-support/index.ts';

/**
 * A PostgreSQL server started for the tests in a temp dir, reachable only on
 * its Unix socket there: no TCP port, so two runs at once cannot collide.
 */
export interface TestPostgres {
  /** `postgres://postgres@localhost/postgres?host=<dir>`: the socket directory in `host`. */
  url: string;
  /** A new, empty database on this server; returns its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server and removes the data dir. */
  stop(): void;
}

/** The bin directory of the newest PostgreSQL installed (Debian layout); throws when there is none. */
export function binDir(): string {
  const root = '/usr/lib/postgresql';
  let versions: string[] = [];
  try {
    versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  } catch {}
  const version = versions[0];
  if (version === undefined) {
    throw new Error(
      'PostgreSQL is not installed (no /usr/lib/postgresql/*/bin): run `bash scripts/install-system-deps.sh` as root, or `apt-get install postgresql`',
    );
  }
  return join(root, version, 'bin');
}

/** How long `pg_ctl` may wait for a start or a stop, in whole seconds (`-t`). */
export const pgCtlSeconds = (): string => String(Math.ceil(bound(BOUNDS.slow) / 1000));

/** `pg_ctl` arguments that start the cluster in `data` with server `options`, logging to `dir`/server.log, and wait (bounded) until it accepts connections. */
export const pgCtlStart = (data: string, dir: string, options: string): string[] => [
  '-D',
  data,
  '-l',
  join(dir, 'server.log'),
  '-o',
  options,
  '-w',
  '-t',
  pgCtlSeconds(),
  'start',
];

/** The socket path of the server a {@link TestPostgres} URL names (`<host>/.s.PGSQL.<port>`). */
export function socketPath(url: string): string {
  const parsed = new URL(url);
  const dir = parsed.searchParams.get('host');
  if (dir === null) throw new Error(`${url} names no socket directory (?host=)`);
  return join(dir, `.s.PGSQL.${parsed.port || '5432'}`);
}

let counter = 0;

/** Creates a new, empty database on the server at `serverUrl` and returns its URL. */
export async function createDatabase(serverUrl: string): Promise<string> {
  const name = `items_test_${process.pid}_${++counter}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Runs initdb and pg_ctl start on a fresh temp dir, listening on its Unix
 * socket in that dir only (no TCP: a port is a machine-wide name another run
 * could hold). As root (CI), both run as the `postgres` user through
 * `runuser`, since initdb refuses root.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'items-api-pg-'));
  const data = join(dir, 'data');
  const run = (program: string, args: string[]) => {
    const command = asRoot ? 'runuser' : join(bin, program);
    const argv = asRoot ? ['-u', 'postgres', '--', join(bin, program), ...args] : args;
    return execFileSync(command, argv, { stdio: 'pipe', timeout: bound(BOUNDS.slow) });
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  run('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--no-sync',
    '--locale=C',
  ]);
  // listen_addresses '' (-h ''): the socket in `dir` only; 5432 only names the socket file.
  const options = `-h '' -p 5432 -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  run('pg_ctl', pgCtlStart(data, dir, options));
  const url = `postgres://postgres@localhost/postgres?host=${encodeURIComponent(dir)}`;
  let stopped = false;
  return {
    url,
    createDatabase: () => createDatabase(url),
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', pgCtlSeconds(), 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
