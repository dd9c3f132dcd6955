import { packageTestConfig } from '../../vitest.config.base.ts';

// The generator test copies the workspace, installs it offline and builds,
// tests and packs a generated package: it needs more than the default 20 s.
export default packageTestConfig({ test: { testTimeout: 150_000, hookTimeout: 150_000 } });
