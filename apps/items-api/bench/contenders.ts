/**
 * What the memory and allocation benches of items-api share: the servers
 * (bench/servers/), their versions, and the SQLite file each one serves, a
 * copy of one seeded template.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Contender } from '../../../bench/harness.ts';
import { openSqliteStore } from '../src/store/sqlite.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const require = createRequire(import.meta.url);

/** Items in every contender's database before the load: more than one page of GET /items. */
export const SEEDED_ITEMS = 100;

/** The wrk script of items-api's request mix (bench/servers/mix.lua). */
export const MIX_SCRIPT = join(here, 'servers', 'mix.lua');

/** `name version` of an installed package, read from its package.json. */
export function packageVersion(name: string): string {
  const file = require.resolve(`${name}/package.json`);
  return `${name} ${(JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version}`;
}

/** A seeded database to copy, and the JSON of its first page of GET /items. */
export interface Template {
  path: string;
  /** `{"items": [...50], "total": 100}`, what GET /items answers on it. */
  page: string;
}

/**
 * Makes the template database in `dir`: migrated by items-api's own store
 * (its schema, WAL), seeded with the tutorial's items and more up to
 * {@link SEEDED_ITEMS}, then checkpointed and closed, so the file alone holds it.
 */
export async function makeTemplate(dir: string): Promise<Template> {
  const path = join(dir, 'template.db');
  const store = openSqliteStore(path, 'better-sqlite3');
  await store.migrate();
  for (let i = (await store.list(1, 0)).total; i < SEEDED_ITEMS; i++) {
    await store.create({ name: `item ${i + 1}`, stock: i });
  }
  const page = JSON.stringify(await store.list(50, 0));
  await store.close();
  return { path, page };
}

/** A fresh copy of the template for one server, at `dir/<name>.db`; its `DATABASE_URL`. */
export function databaseCopy(template: Template, dir: string, name: string): string {
  const path = join(dir, `${name}.db`);
  copyFileSync(template.path, path);
  return `sqlite:${path}`;
}

/** One server of bench/servers/, run by this Node. */
export function server(
  name: string,
  file: string,
  version: string,
  env: Record<string, string> = {},
): Contender {
  return { name, command: [process.execPath, `servers/${file}`], cwd: here, env, version };
}

const tsgiVersions = [
  '@tsgi/node',
  '@tsgi/spec',
  '@tsgi/router',
  '@tsgi/middleware-cors',
  '@tsgi/middleware-timing',
  '@tsgi/middleware-request-id',
]
  .map((name) => packageVersion(name))
  .join(' + ');

/** The Fastify twin (bench/servers/fastify-twin.mjs). */
export const fastifyTwin = (env: Record<string, string>): Contender =>
  server(
    'Fastify twin',
    'fastify-twin.mjs',
    `${packageVersion('fastify')} + ${packageVersion('@fastify/cors')} + ${packageVersion('better-sqlite3')}`,
    env,
  );

/** A TSGI stack (bench/servers/tsgi.mjs, BENCH_STACK), items-api's own by default. */
export const tsgiStack = (name: string, stack: string, env: Record<string, string>): Contender =>
  server(
    name,
    'tsgi.mjs',
    `${stack === 'items-api' ? 'items-api' : `the ${stack} stack`} on ${tsgiVersions}`,
    {
      ...env,
      BENCH_STACK: stack,
    },
  );

/** Bare node:http answering the JSON of GET /items (bench/servers/node-http.mjs). */
export const nodeHttp = (env: Record<string, string>): Contender =>
  server('node:http', 'node-http.mjs', `node:http ${process.version}`, env);
