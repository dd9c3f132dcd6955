import { packageConfig } from '../../tsup.config.base.ts';

// Two entries: the library and the `tsgi` bin (types only for the library).
export default packageConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  dts: { entry: 'src/index.ts' },
});
