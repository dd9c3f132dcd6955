export type { TimingEntry, TimingLogger, TimingOptions } from './options.js';
export { timing } from './timing.js';
