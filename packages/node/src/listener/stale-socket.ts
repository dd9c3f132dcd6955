import { lstat, unlink } from 'node:fs/promises';
import { connect } from 'node:net';
import { identityOf, sameFile } from './socket-file.js';

/**
 * Makes a Unix socket path usable before listening: removes a socket file that
 * no process accepts on (left by a dead server, or by one that stopped
 * accepting to drain); throws when a live server holds it, or when the path
 * exists and is not a socket. A file that another server put at the path
 * while it was probed is left alone.
 */
export async function clearStaleSocket(path: string): Promise<void> {
  let stats: Awaited<ReturnType<typeof lstat>>;
  try {
    stats = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (!stats.isSocket()) {
    throw new Error(`@tsgi/node: ${path} exists and is not a socket; refusing to replace it`);
  }
  const live = await new Promise<boolean>((resolve) => {
    const probe = connect({ path });
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (live) {
    throw new Error(
      `@tsgi/node: ${path} is in use by a running server that still accepts connections; ` +
        'stop it first (a server draining after SIGTERM no longer accepts, and is taken over)',
    );
  }
  const probed = { dev: stats.dev, ino: stats.ino };
  if (sameFile(await identityOf(path), probed)) await unlink(path);
}
