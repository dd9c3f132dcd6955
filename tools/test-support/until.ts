import { BOUNDS, bound } from './time.ts';

/** What {@link until} is told besides the condition. */
export interface UntilOptions {
  /** The unscaled bound in ms (default `BOUNDS.short`); it is scaled by `TSGI_TEST_TIME_SCALE`. */
  ms?: number;
  /** What is awaited, for the error message. */
  what?: string;
  /** Called on time-out: what the test has captured (server output, last reading), for the error. */
  details?: () => string;
  /** Poll interval in ms (default 10). */
  every?: number;
}

/**
 * Waits until `check()` returns true (or a promise of true), polling; throws
 * after the scaled bound with `what` and whatever `details()` returns, so a
 * time-out says what was awaited and what was seen instead.
 */
export async function until(
  check: () => boolean | Promise<boolean>,
  options: UntilOptions = {},
): Promise<void> {
  const limit = bound(options.ms ?? BOUNDS.short);
  const deadline = Date.now() + limit;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) {
      const seen = options.details?.();
      throw new Error(
        `timed out after ${limit} ms waiting for ${options.what ?? 'a condition'}` +
          (seen ? `\n${seen}` : ''),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.every ?? 10));
  }
}

/**
 * Waits until `count()` is above 0 and has stayed the same over 10 polls in a
 * row (a producer held back by backpressure has stalled); throws after
 * `BOUNDS.short` with the last count.
 */
export async function untilStalled(
  count: () => number,
  what = 'production to stall',
): Promise<void> {
  let last = -1;
  let stable = 0;
  await until(
    () => {
      const now = count();
      if (now === last && now > 0) stable++;
      else stable = 0;
      last = now;
      return stable >= 10;
    },
    { what, details: () => `last count: ${last}` },
  );
}
