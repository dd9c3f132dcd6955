/**
 * The one source of every time bound in the test suites.
 *
 * A test that depends on timing waits for an event or a condition, never for a
 * fixed time, and gives up only after a bound taken from here. Bounds are sized
 * for a machine at several times its normal load; `TSGI_TEST_TIME_SCALE`
 * (a positive number, default 1) multiplies every one of them, so a slower
 * machine is served by one environment variable instead of edits to tests.
 */

function readScale(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 1;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new Error(`TSGI_TEST_TIME_SCALE must be a positive number, not ${JSON.stringify(raw)}`);
  }
  return scale;
}

/** The factor every bound is multiplied by: `TSGI_TEST_TIME_SCALE`, default 1. */
export const TIME_SCALE = readScale(process.env.TSGI_TEST_TIME_SCALE);

/** `ms` scaled by {@link TIME_SCALE}: the bound to give a wait that takes `ms` on a busy machine. */
export function bound(ms: number): number {
  return Math.round(ms * TIME_SCALE);
}

/**
 * Named bounds, in milliseconds before scaling. Each is generous enough for a
 * 2-core machine at 4× its normal load; none is a duration a test sleeps for.
 */
export const BOUNDS = {
  /** A condition inside one process: a callback ran, a counter moved. */
  short: 10_000,
  /** A child process starts and listens, or a server-side state settles. */
  process: 60_000,
  /** A build, an install or a real peer (Nginx, PostgreSQL, Chromium) starting. */
  slow: 180_000,
  /** vitest's per-test limit (testTimeout). */
  test: 120_000,
  /** vitest's per-hook limit (hookTimeout). */
  hook: 180_000,
} as const;
