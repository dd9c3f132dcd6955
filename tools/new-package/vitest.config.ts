import { packageTestConfig } from '../../vitest.config.base.ts';
import { bound } from '../test-support/time.ts';

// The generator test copies the workspace, installs it offline and builds,
// tests and packs a generated package: a test may take longer than the default
// (BOUNDS.test); hooks keep the default (BOUNDS.hook).
export default packageTestConfig({ test: { testTimeout: bound(150_000) } });
