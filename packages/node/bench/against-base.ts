/**
 * `@tsgi/node` against a base git ref, head to head: whether a change kept
 * the hot paths' speed. Two builds are measured, the base (a git ref built in
 * a worktree of its own under os.tmpdir(), cached by commit; see
 * against-base/builds.ts) and the new one (the working tree, built and copied
 * aside, or `--new <ref>` built like the base), on three paths:
 *
 * - HTTP: each build's `serve()` with the servers bench's JSON app, head to
 *   head with raw node:http (servers/node-http.mjs), the ratio before and the
 *   ratio after in one table (`node-against-base-http`); then the two builds
 *   head to head with each other (`node-against-base-http-direct`);
 * - uwsgi: `createListener(app, 'uwsgi')` of the new build head to head with
 *   the base build's, loaded by uwsgi/driver.mjs, a new connection per request
 *   as Nginx's uwsgi_pass (`node-against-base-uwsgi`);
 * - FastCGI: the same with `createListener(app, 'fastcgi')`, loaded by
 *   against-base/fastcgi-driver.mjs on kept-alive connections as Nginx's
 *   fastcgi_pass with fastcgi_keep_conn (`node-against-base-fastcgi`).
 *
 * Method of bench/head-to-head.ts: the two servers of a pair at the same time,
 * both pinned to CPU 0, each with its own load generator pinned to CPU 1;
 * fresh processes, a 1 s warm-up and BENCH_H2H_DURATION (5) s per round,
 * BENCH_H2H_ROUNDS (5) rounds; medians and ranges of the ratios of requests
 * served and of server CPU per request. Tables are written to
 * bench/RESULTS.md under the rule of bench/trust.ts (BENCH_NO_RESULTS=1
 * prints only).
 *
 *   pnpm --filter @tsgi/node bench:base --base <ref> [--new <ref>] [--only http,uwsgi,fastcgi] [--skip-build]
 *
 * `--base` defaults to origin/main when the repository has it. `--skip-build`
 * measures the working tree's dist as it is, without building it first.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Contender } from '../../../bench/harness.ts';
import { type HeadToHeadRow, runHeadToHead } from '../../../bench/head-to-head.ts';
import { formatRatio } from '../../../bench/results.ts';
import {
  type Build,
  buildRef,
  refExists,
  repositoryRoot,
  snapshotWorkingTree,
} from './against-base/builds.ts';
import { driverLoad } from './against-base/load.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const PATHS = ['http', 'uwsgi', 'fastcgi'] as const;
type BenchPath = (typeof PATHS)[number];

const { values: flags } = parseArgs({
  // `pnpm bench:base -- --base x` passes the `--` on
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    base: { type: 'string' },
    new: { type: 'string' },
    only: { type: 'string' },
    'skip-build': { type: 'boolean', default: false },
  },
});

const root = repositoryRoot(here);
const baseRef = flags.base ?? (refExists(root, 'origin/main') ? 'origin/main' : undefined);
if (baseRef === undefined) {
  console.error(
    'usage: pnpm --filter @tsgi/node bench:base --base <git ref> [--new <git ref>] [--only http,uwsgi,fastcgi] [--skip-build]\n(no origin/main here to default to: name the base)',
  );
  process.exit(2);
}
const only = (flags.only ?? PATHS.join(',')).split(',').filter((path) => path !== '');
const unknown = only.filter((path) => !(PATHS as readonly string[]).includes(path));
if (unknown.length > 0) {
  console.error(`--only: unknown path(s) ${unknown.join(', ')}; known: ${PATHS.join(', ')}`);
  process.exit(2);
}
const runs = (path: BenchPath) => only.includes(path);

/** The base build, then the new one; a failed build ends the run with its output. */
function prepare(): [Build, Build & { remove(): void }] {
  try {
    const base = buildRef(root, baseRef!, 'base');
    const next =
      flags.new === undefined
        ? snapshotWorkingTree(root, !flags['skip-build'])
        : { ...buildRef(root, flags.new, 'new'), remove: () => {} };
    return [base, next];
  } catch (error) {
    console.error(
      `${(error as Error).message}\n(a working tree that does not build yet: --new HEAD)`,
    );
    process.exit(1);
  }
}
const [base, next] = prepare();
// the copy of the working tree's build goes with the run, also on Ctrl-C
process.once('SIGINT', () => {
  next.remove();
  process.exit(130);
});

/** The lines under every table: what the two builds are. */
const builds = [`- base: ${base.origin}`, `- new: ${next.origin}`];

/** A build's HTTP server: against-base/http.mjs on that build's tree. */
const httpServer = (build: Build): Contender => ({
  name: `@tsgi/node ${build.label}`,
  command: [process.execPath, 'against-base/http.mjs'],
  cwd: here,
  env: { TSGI_TREE: build.tree },
  version: `@tsgi/node ${build.label} serve()`,
});

/** A build's uwsgi or FastCGI listener: against-base/listener.mjs on that build's dist. */
const listenerServer = (build: Build, protocol: 'uwsgi' | 'fastcgi'): Contender => ({
  name: `@tsgi/node ${build.label}`,
  command: [process.execPath, 'against-base/listener.mjs'],
  cwd: here,
  env: { TSGI_DIST: build.dist, PROTOCOL: protocol },
  version: `@tsgi/node ${build.label} createListener(app, '${protocol}')`,
});

/** after ÷ before of the two rows' medians (HTTP table), as a line for the notes. */
function afterOverBefore(rows: HeadToHeadRow[]): string[] {
  const before = rows.find((row) => row.name === `@tsgi/node ${base.label}`);
  const after = rows.find((row) => row.name === `@tsgi/node ${next.label}`);
  if (before === undefined || after === undefined) return [];
  return [
    `- after ÷ before, from the medians above: ${formatRatio(after.ratio / before.ratio)}× requests served, ${formatRatio(after.cpuRatio / before.cpuRatio)}× CPU per request (each ratio against node:http in rounds of its own; the direct table holds the two builds head to head)`,
  ];
}

try {
  if (runs('http')) {
    await runHeadToHead({
      title: `HTTP: @tsgi/node before (${base.label}) and after (${next.label}), each head to head with node:http`,
      results: 'node-against-base-http',
      contenders: [
        {
          name: 'node:http',
          command: [process.execPath, 'servers/node-http.mjs'],
          cwd: here,
          version: `node:http ${process.version} (servers/node-http.mjs)`,
        },
        httpServer(base),
        httpServer(next),
      ],
      notes: builds,
      conclusions: afterOverBefore,
    });
    await runHeadToHead({
      title: `HTTP: @tsgi/node ${next.label} head to head with ${base.label}`,
      results: 'node-against-base-http-direct',
      contenders: [httpServer(base), httpServer(next)],
      notes: builds,
    });
  }
  if (runs('uwsgi')) {
    await runHeadToHead({
      title: `uwsgi: @tsgi/node ${next.label} head to head with ${base.label}`,
      results: 'node-against-base-uwsgi',
      load: driverLoad(
        `${here}uwsgi/driver.mjs`,
        "a new connection per request as Nginx's uwsgi_pass",
      ),
      contenders: [listenerServer(base, 'uwsgi'), listenerServer(next, 'uwsgi')],
      notes: builds,
    });
  }
  if (runs('fastcgi')) {
    await runHeadToHead({
      title: `FastCGI: @tsgi/node ${next.label} head to head with ${base.label}`,
      results: 'node-against-base-fastcgi',
      load: driverLoad(
        `${here}against-base/fastcgi-driver.mjs`,
        "kept-alive connections, one request at a time each, as Nginx's fastcgi_pass with fastcgi_keep_conn on",
      ),
      contenders: [listenerServer(base, 'fastcgi'), listenerServer(next, 'fastcgi')],
      notes: builds,
    });
  }
} finally {
  next.remove();
}
