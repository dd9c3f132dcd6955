import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig, type ViteUserConfig } from 'vitest/config';
import { BOUNDS, bound } from './tools/test-support/time.ts';

const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url));

/**
 * The one vitest configuration every package extends. `@tsgi/<name>` imports
 * resolve to `packages/<name>/src`, so tests always run against the current
 * source without a build step in between.
 */
export function packageTestConfig(overrides: ViteUserConfig = {}) {
  return mergeConfig(
    defineConfig({
      resolve: {
        alias: [{ find: /^@tsgi\/([a-z0-9-]+)$/, replacement: `${packagesDir}$1/src/index.ts` }],
      },
      test: {
        include: ['test/**/*.test.ts'],
        // Bounds from the one place (tools/test-support/time.ts), scaled by TSGI_TEST_TIME_SCALE.
        testTimeout: bound(BOUNDS.test),
        hookTimeout: bound(BOUNDS.hook),
      },
    }),
    overrides,
  );
}
