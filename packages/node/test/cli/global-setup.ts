/**
 * Bundles the CLI once per test run (src/cli/main.ts with @tsgi/spec from source)
 * into node_modules/.cache, so process tests start workers in plain Node
 * without a TypeScript loader in each process; and an app module that uses
 * @tsgi/middleware-timing, for the log-line tests.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const CLI_OUT_DIR = `${root}node_modules/.cache/tsgi-cli`;

/**
 * Bundles src/cli/main.ts (and @tsgi/spec's source) into `outDir`/cli.js, and
 * src/index.ts into `outDir`/index.js for fixtures that import `serve`.
 */
export async function buildCli(outDir: string): Promise<string> {
  await build({
    entry: { cli: `${root}src/cli/main.ts`, index: `${root}src/index.ts` },
    outDir,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    dts: false,
    sourcemap: false,
    silent: true,
    clean: false,
    noExternal: [/^@tsgi\//],
    config: false,
    esbuildOptions(options) {
      options.alias = {
        '@tsgi/spec': fileURLToPath(new URL('../../../spec/src/index.ts', import.meta.url)),
      };
    },
  });
  return `${outDir}/cli.js`;
}

/**
 * Bundles fixtures/timing-app.src.mjs (with @tsgi/middleware-timing's and
 * @tsgi/spec's source) into `outDir`/timing-app.js: an app module with its own
 * copy of @tsgi/spec, as an app's node_modules would give it.
 */
export async function buildTimingApp(outDir: string): Promise<string> {
  await build({
    entry: { 'timing-app': `${root}test/cli/fixtures/timing-app.src.mjs` },
    outDir,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    dts: false,
    sourcemap: false,
    silent: true,
    clean: false,
    noExternal: [/^@tsgi\//],
    config: false,
    esbuildOptions(options) {
      options.alias = {
        '@tsgi/spec': fileURLToPath(new URL('../../../spec/src/index.ts', import.meta.url)),
        '@tsgi/middleware-timing': fileURLToPath(
          new URL('../../../middleware-timing/src/index.ts', import.meta.url),
        ),
      };
    },
  });
  return `${outDir}/timing-app.js`;
}

export default async function setup(): Promise<void> {
  await buildCli(CLI_OUT_DIR);
  await buildTimingApp(CLI_OUT_DIR);
}
