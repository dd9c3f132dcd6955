/**
 * Cleanup that never hides a failure.
 *
 * `finally { stop() }` replaces the test's own error whenever `stop()` throws
 * too (a process already gone: `kill ESRCH`), and the report then names the
 * cleanup instead of the failure. {@link guarded} keeps the first error.
 */

/**
 * Runs `body`, then every cleanup in order, each even if an earlier one threw.
 * If `body` threw, its error is the one thrown, and cleanup errors are printed
 * beside it; if only cleanups threw, the first of them is thrown.
 */
export async function guarded<T>(
  body: () => T | Promise<T>,
  ...cleanups: Array<() => unknown>
): Promise<T> {
  let failure: { error: unknown } | undefined;
  let result: T | undefined;
  try {
    result = await body();
  } catch (error) {
    failure = { error };
  }
  for (const cleanup of cleanups) {
    try {
      await cleanup();
    } catch (error) {
      if (failure) console.error('cleanup also failed (the test error above is the first):', error);
      else failure = { error };
    }
  }
  if (failure) throw failure.error;
  return result as T;
}

/**
 * Sends `signal` to a process group (or a process, with `group: false`) that
 * may have exited already: a process that is gone is not an error.
 */
export function killQuietly(
  pid: number | undefined,
  signal: NodeJS.Signals = 'SIGTERM',
  group = true,
): void {
  if (pid === undefined) return;
  try {
    process.kill(group ? -pid : pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
