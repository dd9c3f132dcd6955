import { chmod } from 'node:fs/promises';
import type { TsgiAddress } from '../listener/address.js';
import type { ListenOptions } from '../options/options.js';
import type { CliConfig } from './config.js';

/** Where a config listens: the inherited fd, the Unix socket (with its mode), or host and port. */
export function listenTarget(config: CliConfig): ListenOptions {
  if (config.fd !== undefined) return { fd: config.fd, backlog: config.backlog };
  if (config.socket !== undefined) {
    return { socket: config.socket, socketMode: config.chmodSocket, backlog: config.backlog };
  }
  return { host: config.host, port: config.port, backlog: config.backlog };
}

/** Sets the Unix socket file's mode to `--chmod-socket` (0660 by default), whatever the umask. */
export async function applySocketMode(config: CliConfig): Promise<void> {
  if (config.socket !== undefined && config.fd === undefined) {
    await chmod(config.socket, config.chmodSocket);
  }
}

/** The address the CLI prints: `fd:3` for an inherited socket, else the listener's URL. */
export function shownAddress(address: TsgiAddress): string {
  return address.fd === undefined ? address.url : `fd:${address.fd}`;
}
