import { packageTestConfig } from '../../vitest.config.base.ts';

// Type-level tests (test/*.test-d.ts, expectTypeOf) run through tsc with the rest.
export default packageTestConfig({
  test: {
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
