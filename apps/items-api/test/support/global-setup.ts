/**
 * Starts one PostgreSQL for the whole run (each test file makes its own
 * databases on it; stopped in teardown), and bundles the CLI, the tsgi application module and @tsgi/node's `tsgi` CLI
 * once per test run, from source (every @tsgi package from its src/), into
 * node_modules/.cache/items-api-bin, so process tests run plain Node without
 * depending on other packages' builds. better-sqlite3 and pg stay external;
 * `ws` is bundled, with a `require` for its own requires of Node's built-ins.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import type { TestProject } from 'vitest/node';
import { BIN_DIR } from './paths.js';
import { startPostgres } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `postgres://postgres@localhost/postgres?host=<socket dir>` of the server the global setup started. */
    postgresUrl: string;
  }
}

const packages = fileURLToPath(new URL('../../../../packages/', import.meta.url));
const src = fileURLToPath(new URL('../../src/', import.meta.url));

export default async function setup(project: TestProject): Promise<() => void> {
  const [postgres, bundled] = await Promise.allSettled([startPostgres(), bundle()]);
  if (postgres.status === 'rejected' || bundled.status === 'rejected') {
    // A server that started is stopped even when the bundle failed: nothing is left running.
    if (postgres.status === 'fulfilled') postgres.value.stop();
    throw postgres.status === 'rejected'
      ? postgres.reason
      : (bundled as PromiseRejectedResult).reason;
  }
  project.provide('postgresUrl', postgres.value.url);
  return () => postgres.value.stop();
}

async function bundle(): Promise<void> {
  await build({
    entry: {
      cli: `${src}cli.ts`,
      application: `${src}application.ts`,
      tsgi: `${packages}node/src/cli/main.ts`,
    },
    outDir: BIN_DIR,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    dts: false,
    sourcemap: false,
    silent: true,
    clean: true,
    splitting: false,
    noExternal: [/^@tsgi\//],
    external: ['better-sqlite3', 'pg'],
    // `ws` (@tsgi/node's WebSocket framing) is CommonJS and requires Node's
    // built-ins (`events`, `net`, …): an ESM bundle gives it a `require`.
    banner: {
      js: "import { createRequire as __tsgiCreateRequire } from 'node:module'; const require = __tsgiCreateRequire(import.meta.url);",
    },
    config: false,
    esbuildOptions(options) {
      options.alias = Object.fromEntries(
        [
          'spec',
          'node',
          'router',
          'middleware-cors',
          'middleware-timing',
          'middleware-request-id',
          'test-client',
        ].map((name) => [`@tsgi/${name}`, `${packages}${name}/src/index.ts`]),
      );
    },
  });
}
