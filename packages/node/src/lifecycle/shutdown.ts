import type { Transport } from './transport.js';

/** How often connections are swept for ones that turned idle while closing. */
const SWEEP_MS = 50;

/**
 * The quick stop of every protocol (`Listener.close`): stop accepting, close
 * idle connections at once and sweep the ones that turn idle (a response
 * already under way keeps its connection until it ends), let in-flight
 * requests finish for `timeoutMs`, then destroy what is left. Resolves when
 * the server has closed (it is no error if it was not running).
 */
export function shutdown(transport: Transport, timeoutMs: number): Promise<void> {
  transport.markClosing();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => transport.destroyAll(), timeoutMs);
    timer.unref();
    const sweep = setInterval(() => transport.closeIdle(), SWEEP_MS);
    sweep.unref();
    transport.server.close((error) => {
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
    transport.closeIdle();
  });
}
