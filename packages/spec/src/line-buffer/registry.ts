/**
 * The line buffers that hold lines not yet handed to their stream, shared by
 * every copy of `@tsgi/spec` in the process (a server and a middleware may
 * each bundle their own): it lives on `globalThis` under a `Symbol.for` key,
 * so a server's `flushLineBuffers()` also flushes a middleware's buffer.
 */

/** What the registry needs of a buffer. Kept this small so copies of different versions agree. */
export interface Flushable {
  /** Hands what is pending to the stream; resolves once the stream took it. */
  flush(): Promise<void>;
  /** Writes what is pending at once, synchronously where the stream allows (process exit). */
  flushSync(): void;
}

interface Registry {
  readonly active: Set<Flushable>;
}

const KEY = Symbol.for('@tsgi/spec.line-buffers');

/** The process-wide registry; the first call installs the one `exit` hook that writes what is left. */
export function lineBuffers(): Set<Flushable> {
  const holder = globalThis as { [KEY]?: Registry };
  let registry = holder[KEY];
  if (registry === undefined) {
    const created: Registry = { active: new Set() };
    registry = created;
    holder[KEY] = created;
    process.once('exit', () => {
      for (const buffer of [...created.active]) {
        try {
          buffer.flushSync();
        } catch (error) {
          process.stderr.write(
            `tsgi: log lines lost at exit: ${error instanceof Error ? error.message : String(error)}\n`,
          );
        }
      }
    });
  }
  return registry.active;
}

/**
 * Flushes every line buffer in the process (an access log, a middleware's
 * log line) and resolves once their streams took every pending line, `true`;
 * or after `timeoutMs` (default 5000) with `false`, when a stream is stuck.
 * A server calls it on a graceful stop, before the process exits.
 *
 * @example
 * await listener.drain(30_000);
 * await flushLineBuffers();
 * process.exit(0);
 */
export function flushLineBuffers(timeoutMs = 5000): Promise<boolean> {
  const pending = [...lineBuffers()].map((buffer) => buffer.flush());
  if (pending.length === 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
    void Promise.all(pending).then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
