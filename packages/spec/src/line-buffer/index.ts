export { jsonString } from './json-string.js';
export {
  LineBuffer,
  type LineBufferOptions,
  type LineSink,
} from './line-buffer.js';
export { flushLineBuffers } from './registry.js';
