import { defineConfig, type Options } from 'tsup';

/**
 * The one tsup configuration every package extends: ESM only, `.d.ts` beside
 * each entry, Node 20 as the floor. A package passes its entries and, rarely,
 * overrides.
 */
export function packageConfig(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: true,
    clean: true,
    sourcemap: true,
    splitting: false,
    treeshake: true,
    ...overrides,
  });
}
