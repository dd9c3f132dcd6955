export {
  buildEnviron,
  type EnvironContext,
  type EnvironOptions,
} from './build-environ.js';
export { environKey } from './header-key.js';
export { type HostParts, splitHost } from './host.js';
export type { GatewayHead, RequestHead } from './request-head.js';
export { isProblem, RequestProblem } from './request-problem.js';
export { decodePath, mountSplit } from './target.js';
