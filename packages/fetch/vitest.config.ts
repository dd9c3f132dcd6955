import { packageTestConfig } from '../../vitest.config.base.ts';

export default packageTestConfig({
  // The runtime tests run the pinned Bun and Deno, installed once per run.
  test: { globalSetup: ['test/support/global-setup.ts'] },
});
