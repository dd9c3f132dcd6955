/**
 * The servers table: @tsgi/node, Fastify, @hono/node-server and Express, each
 * head to head with raw node:http (bench/head-to-head.ts), answering the same
 * small JSON body (`{"hello":"world"}`, built per request, with Content-Type
 * and Content-Length, on keep-alive connections). The baseline raw node:http
 * contender does exactly the work of the @tsgi/node app (JSON.stringify,
 * Buffer.from, one writeHead, one end); a second raw row ends with the string
 * instead of bytes, for reference. Run with `pnpm --filter @tsgi/node bench`
 * (after a build). BENCH_H2H_DURATION / BENCH_H2H_ROUNDS / BENCH_CONNECTIONS
 * shorten or lengthen it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Contender } from '../../../bench/harness.ts';
import { runHeadToHead } from '../../../bench/head-to-head.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const require = createRequire(import.meta.url);

function version(name: string): string {
  const main = require.resolve(name);
  let dir = main;
  for (;;) {
    dir = dir.slice(0, dir.lastIndexOf('/'));
    try {
      const pkg = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as {
        name?: string;
        version: string;
      };
      if (pkg.name === name) return `${name} ${pkg.version}`;
    } catch {
      // keep walking up
    }
    if (dir === '') return `${name} ?`;
  }
}

const own = JSON.parse(readFileSync(`${here}../package.json`, 'utf8')) as { version: string };
const spec = JSON.parse(readFileSync(`${here}../../spec/package.json`, 'utf8')) as {
  version: string;
};
const server = (name: string, file: string, pkgVersion: string): Contender => ({
  name,
  command: [process.execPath, `servers/${file}`],
  cwd: here,
  version: pkgVersion,
});

// BENCH_BASE_TREE=/path/to/another/checkout (built) adds that tree's @tsgi/node
// as a contender, to hold a change against the code before it in one run.
const baseTree = process.env.BENCH_BASE_TREE;
const contenders = [
  server('node:http', 'node-http.mjs', `node:http ${process.version}`),
  server('node:http (string body)', 'node-http-string.mjs', 'the same, ending with a string'),
  server('@tsgi/node', 'tsgi.mjs', `@tsgi/node ${own.version} + @tsgi/spec ${spec.version}`),
  ...(baseTree === undefined || baseTree === ''
    ? []
    : [
        {
          name: '@tsgi/node (base tree)',
          command: [process.execPath, `${baseTree}/packages/node/bench/servers/tsgi.mjs`],
          cwd: `${baseTree}/packages/node/bench`,
          version: `@tsgi/node built in ${baseTree}`,
        },
      ]),
  server('fastify', 'fastify.mjs', version('fastify')),
  server('@hono/node-server', 'hono.mjs', `${version('hono')} + ${version('@hono/node-server')}`),
  server('express', 'express.mjs', version('express')),
];

await runHeadToHead({
  title: 'HTTP servers head to head (same JSON response)',
  results: 'node-servers-h2h',
  contenders,
});
