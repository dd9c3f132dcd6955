export { DEPLOY_FILES } from './assets.js';
export { type Command, HELP, readArgs } from './options.js';
export { complete, DEFAULT_DIR } from './prompt.js';
export {
  nameProblem,
  PROTOCOLS,
  type Protocol,
  type ScaffoldOptions,
  scaffold,
} from './scaffold.js';
