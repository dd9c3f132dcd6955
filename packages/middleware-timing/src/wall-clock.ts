import { performance } from 'node:perf_hooks';

// `Date.now()` costs as much as the rest of the middleware on some virtual
// machines, so the wall clock is derived from the monotonic one, re-synced at
// most once a second (so a stepped system clock shows up within a second).
let offset = Date.now() - performance.now();
let syncedAt = performance.now();

/** The epoch time in milliseconds of a `performance.now()` reading taken recently. */
export function wallClock(monotonic: number): number {
  if (monotonic - syncedAt > 1000) {
    syncedAt = performance.now();
    offset = Date.now() - syncedAt;
  }
  return offset + monotonic;
}
