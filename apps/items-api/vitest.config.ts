import { packageTestConfig } from '../../vitest.config.base.ts';

export default packageTestConfig({
  test: { globalSetup: ['test/support/global-setup.ts'] },
});
