/**
 * Collects what a child process prints and waits for a pattern in it. Used by
 * run-tsgi.ts here and by apps/items-api's process helpers (a relative import:
 * test code only, never published).
 */
import type { ChildProcess } from 'node:child_process';

/** The text a child printed so far, and a way to wait for more. */
export interface WatchedOutput {
  text(): string;
  /**
   * Resolves with the first match of `pattern` in the text; rejects after `ms`,
   * or as soon as the process has exited without printing it. `label` names
   * the process in the errors.
   */
  waitFor(pattern: RegExp, ms: number): Promise<RegExpMatchArray>;
}

/** Starts collecting `streams` of `child` (which must be piped). */
export function watchOutput(
  child: ChildProcess,
  streams: ReadonlyArray<'stdout' | 'stderr'>,
  label: string,
): WatchedOutput {
  let text = '';
  const waiters: Array<() => void> = [];
  const wake = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };
  for (const name of streams) {
    child[name]!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      wake();
    });
  }
  child.once('exit', wake);
  const waitFor = (pattern: RegExp, ms: number) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const deadline = setTimeout(
        () => reject(new Error(`timed out waiting for ${pattern} in:\n${text}`)),
        ms,
      );
      const check = () => {
        const match = pattern.exec(text);
        if (match !== null) {
          clearTimeout(deadline);
          resolve(match);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          clearTimeout(deadline);
          reject(
            new Error(
              `${label} exited (${child.exitCode ?? child.signalCode}) before ${pattern}:\n${text}`,
            ),
          );
        } else {
          waiters.push(check);
        }
      };
      check();
    });
  return { text: () => text, waitFor };
}
