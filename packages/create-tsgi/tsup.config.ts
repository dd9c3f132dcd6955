import { packageConfig } from '../../tsup.config.base.ts';
import { writeAssets } from './src/assets.ts';

// The library and the bin. Each build also copies @tsgi/node's deploy files and the
// versions of the packages a new app depends on into dist/ (src/assets.ts).
export default packageConfig(
  { entry: { index: 'src/index.ts', cli: 'src/cli.ts' }, dts: { entry: 'src/index.ts' } },
  writeAssets,
);
