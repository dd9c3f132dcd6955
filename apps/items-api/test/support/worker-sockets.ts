/**
 * Which worker holds which connection, read from Linux's /proc: the workers
 * of a tsgi master are its children, and a worker holds a TCP connection when
 * one of its file descriptors is that socket's inode in /proc/net/tcp. Lets a
 * test know that its clients landed on more than one worker, which it cannot
 * choose (the kernel hands each connection to one of them).
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The child processes of `pid` (Linux ≥ 3.5 with CONFIG_PROC_CHILDREN). */
export function childPids(pid: number): number[] {
  const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8');
  return text
    .split(/\s+/)
    .filter((word) => word !== '')
    .map(Number);
}

/** The socket inodes among the open file descriptors of `pid`. */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match !== null) inodes.add(match[1]!);
    } catch {
      // The descriptor closed between readdir and readlink.
    }
  }
  return inodes;
}

/** The inodes of the established IPv4 TCP connections whose local port is `port`. */
function establishedOn(pid: number, port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes: string[] = [];
  for (const line of readFileSync(`/proc/${pid}/net/tcp`, 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
    if (fields.length < 10 || fields[3] !== '01') continue;
    if (fields[1]!.endsWith(`:${hexPort}`)) inodes.push(fields[9]!);
  }
  return inodes;
}

/**
 * For each worker of the master `masterPid`: how many established
 * connections on `port` it holds.
 */
export function connectionsPerWorker(masterPid: number, port: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (const worker of childPids(masterPid)) {
    try {
      const mine = socketInodes(worker);
      counts.set(worker, establishedOn(worker, port).filter((inode) => mine.has(inode)).length);
    } catch {
      // A worker that exited meanwhile holds nothing.
    }
  }
  return counts;
}
