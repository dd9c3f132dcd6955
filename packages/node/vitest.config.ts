import { packageTestConfig } from '../../vitest.config.base.ts';

export default packageTestConfig({
  // The CLI's process tests run a bundle of src/cli/main.ts built once per run.
  test: { globalSetup: ['test/cli/global-setup.ts'] },
});
