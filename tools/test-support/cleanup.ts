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

/** The parts of a `ChildProcess` that {@link stopGroup} reads. */
export interface GroupLeader {
  readonly pid?: number | undefined;
  readonly exitCode: number | null;
  readonly signalCode: NodeJS.Signals | string | null;
}

/**
 * Stops a child that leads its own process group (spawned `detached`): sends
 * `signal` to it (to the whole group with `group: true`; to a leader that has
 * exited already only then), waits for `exited` for at most `graceMs` (a
 * bound already scaled), then kills the whole group, which also ends what a
 * leader that died hard left behind.
 */
export async function stopGroup(
  child: GroupLeader,
  exited: Promise<unknown>,
  options: { signal?: NodeJS.Signals; group?: boolean; graceMs: number },
): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const group = options.group ?? false;
  if (group || (child.exitCode === null && child.signalCode === null))
    killQuietly(pid, options.signal ?? 'SIGTERM', group);
  const force = setTimeout(() => killQuietly(pid, 'SIGKILL'), options.graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(force);
  }
  killQuietly(pid, 'SIGKILL');
}
