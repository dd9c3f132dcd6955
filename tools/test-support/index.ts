/**
 * What every test suite in the repository shares: time bounds from one place,
 * condition waits, and cleanup that keeps the first error. Imported by
 * relative path (`../../../tools/test-support/index.ts`), never published.
 */

export {
  type BoundableContext,
  CHROMIUM,
  type ChromiumType,
  type LaunchableBrowser,
  type LaunchOptions,
  launchChromium,
} from './chromium.ts';
export { type GroupLeader, guarded, killQuietly, stopGroup } from './cleanup.ts';
export { optionDefaults, readmeAndPageOptions } from './option-table.ts';
export { BOUNDS, bound, TIME_SCALE } from './time.ts';
export { type UntilOptions, until, untilStalled } from './until.ts';
