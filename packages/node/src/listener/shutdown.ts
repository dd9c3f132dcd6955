import type { Server } from 'node:net';

/** What a protocol lets the shared shutdown do with its connections. */
export interface Connections {
  /**
   * Marks the server as closing: responses under way close their connection
   * when done. With a `drain` reason (`reload`), the access log says so on
   * each response that ends from now on.
   */
  markClosing(drain?: string): void;
  /** Closes the connections that carry no request now (HTTP keep-alive between requests). */
  closeIdle(): void;
  /** Destroys every connection left. */
  destroyAll(): void;
}

/** How often connections are swept for ones that turned idle while closing. */
const SWEEP_MS = 50;

/**
 * The one graceful shutdown of every protocol: stop accepting, close idle
 * connections at once and sweep the ones that turn idle (a response already
 * under way keeps its connection until it ends), let in-flight requests
 * finish for `timeoutMs`, then destroy what is left. Resolves when the server
 * has closed (it is no error if it was not running).
 */
export function shutdown(
  server: Server,
  connections: Connections,
  timeoutMs: number,
): Promise<void> {
  connections.markClosing();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => connections.destroyAll(), timeoutMs);
    timer.unref();
    const sweep = setInterval(() => connections.closeIdle(), SWEEP_MS);
    sweep.unref();
    server.close((error) => {
      clearTimeout(timer);
      clearInterval(sweep);
      if (
        error !== undefined &&
        (error as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING'
      ) {
        reject(error);
      } else {
        resolve();
      }
    });
    connections.closeIdle();
  });
}
