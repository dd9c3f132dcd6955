/**
 * Bundles the CLI once per test run (src/cli/main.ts with @tsgi/spec from source)
 * into node_modules/.cache, so process tests start workers in plain Node
 * without a TypeScript loader in each process.
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

export default async function setup(): Promise<void> {
  await buildCli(CLI_OUT_DIR);
}
