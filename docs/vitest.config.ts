import { packageTestConfig } from '../vitest.config.base.ts';

/** The docs tests run against one build of the site, made once before them. */
export default packageTestConfig({
  test: { globalSetup: ['test/build-site.ts'] },
});
