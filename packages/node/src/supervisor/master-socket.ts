import {
  type FileIdentity,
  identityOf,
  ownerOnlyUmask,
  removeOwnSocket,
} from '../listener/socket-file.js';
import { clearStaleSocket } from '../listener/stale-socket.js';
import { logEvent } from '../log/event.js';
import type { CliConfig } from './config.js';
import { applySocketMode } from './listen-target.js';

/**
 * The master's Unix socket file (`--socket`; nothing for TCP or an inherited
 * fd). The master binds it when the first worker listens (Node's cluster), so:
 * before the workers start, a stale file is cleared (a live server's is an
 * error); while they bind it the umask is owner-only; once bound it gets
 * `--chmod-socket` and its device and inode are remembered; at exit it is
 * removed only if the path still names that file, so a server that took the
 * path over while this one drained keeps its socket.
 */
export class MasterSocket {
  private readonly config: CliConfig;
  private file: FileIdentity | undefined;
  private restoreUmask: (() => void) | undefined;

  constructor(config: CliConfig) {
    this.config = config;
  }

  private get path(): string | undefined {
    return this.config.fd === undefined ? this.config.socket : undefined;
  }

  /** Before forking: clears a stale socket file; throws when a live server holds the path. */
  async prepare(): Promise<void> {
    if (this.path !== undefined) await clearStaleSocket(this.path);
  }

  /** After the first forks: the socket the master binds next is owner-only until `claim()`. */
  narrowUmask(): void {
    if (this.path !== undefined && this.restoreUmask === undefined) {
      this.restoreUmask = ownerOnlyUmask();
    }
  }

  /** Runs `fork` with the umask the master was given, so workers never inherit the narrowed one. */
  forking<T>(fork: () => T): T {
    const narrowed = this.restoreUmask !== undefined;
    this.restoreUmask?.();
    this.restoreUmask = undefined;
    try {
      return fork();
    } finally {
      if (narrowed) this.narrowUmask();
    }
  }

  /** Once a worker's listen (re)bound the socket: sets its mode, remembers the file, restores the umask. */
  async claim(): Promise<void> {
    const path = this.path;
    if (path === undefined) return;
    try {
      await applySocketMode(this.config);
      this.file = await identityOf(path);
    } catch (error) {
      logEvent('master', `cannot chmod the socket: ${(error as Error).message}`);
    } finally {
      this.restoreUmask?.();
      this.restoreUmask = undefined;
    }
  }

  /** At exit: removes the socket file if it is still the one this master bound. */
  async release(): Promise<void> {
    if (this.path !== undefined) await removeOwnSocket(this.path, this.file);
  }
}
