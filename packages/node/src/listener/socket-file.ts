import { lstat, unlink } from 'node:fs/promises';
import { isMainThread } from 'node:worker_threads';

/** Which file a path named: its device and inode, as `lstat` reads them. */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
}

/** The identity of the file at `path`, or `undefined` when there is none. */
export async function identityOf(path: string): Promise<FileIdentity | undefined> {
  try {
    const stats = await lstat(path);
    return { dev: stats.dev, ino: stats.ino };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** True when both name the same file. */
export function sameFile(a: FileIdentity | undefined, b: FileIdentity | undefined): boolean {
  return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
}

/**
 * Removes the socket file at `path` only while it is still `own`, the one
 * this process created: a server that took the path over meanwhile keeps its
 * socket. Resolves with whether it removed it.
 */
export async function removeOwnSocket(
  path: string,
  own: FileIdentity | undefined,
): Promise<boolean> {
  if (!sameFile(await identityOf(path), own)) return false;
  await unlink(path).catch(() => {});
  return true;
}

/**
 * Narrows the umask to `0o177` until the returned function restores it, so a
 * Unix socket bound meanwhile is created `0600` (owner only) whatever the
 * umask, and is never open to others before its mode is set. A no-op in a
 * worker thread, where the umask cannot be set.
 */
export function ownerOnlyUmask(): () => void {
  if (!isMainThread) return () => {};
  const previous = process.umask(0o177);
  return () => {
    process.umask(previous);
  };
}
