import { packageConfig } from '../../tsup.config.base.ts';

// Two entries: the library and the `tsgi` bin, src/cli/main.ts built as dist/cli.js
// (types only for the library). The types name node:http, node:net and node:stream:
// the reference makes TypeScript load @types/node, a dependency of this package, even
// in a project whose tsconfig lists its own "types".
export default packageConfig({
  entry: { index: 'src/index.ts', cli: 'src/cli/main.ts' },
  dts: { entry: 'src/index.ts', banner: '/// <reference types="node" />' },
});
