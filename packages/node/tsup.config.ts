import { packageConfig } from '../../tsup.config.base.ts';

/** The library's entries: the front door and its four subpaths (see "exports" in package.json). */
const library = {
  index: 'src/index.ts',
  metrics: 'src/metrics/index.ts',
  uwsgi: 'src/uwsgi/index.ts',
  fastcgi: 'src/fastcgi/index.ts',
  internals: 'src/internals.ts',
};

// The library entries and the `tsgi` bin, src/cli/main.ts built as dist/cli.js (types
// only for the library). Code the entries share goes to shared chunks, once: a class
// such as RequestInput must be one class whichever entry made the object. The types name node:http, node:net and node:stream: the
// reference makes TypeScript load @types/node, a dependency of this package, even in a
// project whose tsconfig lists its own "types".
export default packageConfig({
  entry: { ...library, cli: 'src/cli/main.ts' },
  splitting: true,
  dts: { entry: library, banner: '/// <reference types="node" />' },
});
