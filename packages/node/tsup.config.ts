import { packageConfig } from '../../tsup.config.base.ts';

// Two entries: the library and the `tsgi` bin, src/cli/main.ts built as dist/cli.js
// (types only for the library).
export default packageConfig({
  entry: { index: 'src/index.ts', cli: 'src/cli/main.ts' },
  dts: { entry: 'src/index.ts' },
});
