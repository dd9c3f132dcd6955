export type { TimingEntry, TimingLogger, TimingLogStream, TimingOptions } from './options.js';
export { timing } from './timing.js';
