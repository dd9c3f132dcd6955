import { copyFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from 'tsup';

/** The repository's LICENSE, the one copy every package's tarball carries. */
const LICENSE = fileURLToPath(new URL('./LICENSE', import.meta.url));

/**
 * The one tsup configuration every package extends: ESM only, `.d.ts` beside
 * each entry, Node 20 as the floor. A package passes its entries and, rarely,
 * overrides. After each build the root LICENSE is copied beside the output
 * folder (the package root, git-ignored there), so the packed tarball has it;
 * then `afterBuild(outDir)`, when given, adds what else the package ships.
 */
export function packageConfig(
  overrides: Options = {},
  afterBuild?: (outDir: string) => void | Promise<void>,
) {
  return defineConfig((cli) => {
    const outDir = cli.outDir ?? overrides.outDir ?? 'dist';
    return {
      entry: ['src/index.ts'],
      format: ['esm'],
      target: 'node20',
      platform: 'node',
      dts: true,
      clean: true,
      sourcemap: true,
      splitting: false,
      treeshake: true,
      onSuccess: async () => {
        copyFileSync(LICENSE, resolve(dirname(resolve(outDir)), 'LICENSE'));
        await afterBuild?.(resolve(outDir));
      },
      ...overrides,
    };
  });
}
