import { lstat, unlink } from 'node:fs/promises';
import { connect } from 'node:net';

/**
 * Makes a Unix socket path usable before listening: removes a socket file that
 * no process accepts on (left by a dead server); throws when a live server
 * holds it, or when the path exists and is not a socket.
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
    throw new Error(`@tsgi/node: ${path} is in use by a running server`);
  }
  await unlink(path);
}
