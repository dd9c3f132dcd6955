import { chmod } from 'node:fs/promises';
import type { Server } from 'node:net';
import type { CliConfig } from './config.js';

/** Where a server listens, as `net.Server.listen` takes it. */
export type ListenTarget =
  | { host: string; port: number; backlog: number }
  | { path: string; backlog: number }
  | { fd: number; backlog: number };

/**
 * The fd systemd passed (socket activation): 3 when `LISTEN_PID` is this
 * process and `LISTEN_FDS` is at least 1, else `undefined`.
 */
export function systemdFd(env: NodeJS.ProcessEnv, pid: number): number | undefined {
  const count = Number(env.LISTEN_FDS);
  if (!Number.isInteger(count) || count < 1) return undefined;
  if (env.LISTEN_PID !== undefined && env.LISTEN_PID !== '' && Number(env.LISTEN_PID) !== pid) {
    return undefined;
  }
  return 3;
}

/** The listen target of a config: the inherited fd, the Unix socket, or host and port. */
export function listenTarget(config: CliConfig): ListenTarget {
  if (config.fd !== undefined) return { fd: config.fd, backlog: config.backlog };
  if (config.socket !== undefined) return { path: config.socket, backlog: config.backlog };
  return { host: config.host, port: config.port, backlog: config.backlog };
}

/** Sets the socket file's mode when `--chmod-socket` asks for one. */
export async function applySocketMode(config: CliConfig): Promise<void> {
  if (config.socket !== undefined && config.chmodSocket !== undefined && config.fd === undefined) {
    await chmod(config.socket, config.chmodSocket);
  }
}

/** Listens and resolves with a printable address (`http://127.0.0.1:8000`, `unix:/run/app.sock`, `fd:3`). */
export function listenOn(server: Server, target: ListenTarget, protocol: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(target, () => {
      server.removeListener('error', onError);
      const bound = server.address();
      if ('fd' in target) resolve(`fd:${target.fd}`);
      else if (bound !== null && typeof bound === 'object') {
        const host = bound.address.includes(':') ? `[${bound.address}]` : bound.address;
        resolve(`${protocol}://${host}:${bound.port}`);
      } else resolve(`unix:${'path' in target ? target.path : String(bound)}`);
    });
  });
}
