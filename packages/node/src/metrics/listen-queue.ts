import { readFileSync } from 'node:fs';

/**
 * The accept queue of the TCP socket listening on `port`, from Linux's
 * `/proc/net/tcp` and `/proc/net/tcp6`: for a listening socket, `rx_queue`
 * is the connections waiting for `accept()` and `tx_queue` the backlog
 * limit. `undefined` where the platform does not show it (not Linux, a Unix
 * socket, no such socket, a kernel or sandbox that leaves the limit at 0). Read at scrape time only.
 */
export function readListenQueue(port: number): { length: number; limit: number } | undefined {
  const wanted = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'latin1');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      // Most lines are other sockets (tens of thousands in TIME_WAIT on a busy host):
      // a substring test skips them without splitting each one.
      if (!line.includes(wanted)) continue;
      // sl local_address rem_address st tx_queue:rx_queue ...; st 0A is LISTEN
      const fields = line.trim().split(/\s+/);
      if (fields[3] !== '0A' || !fields[1]?.endsWith(wanted)) continue;
      const [tx, rx] = (fields[4] ?? '').split(':');
      const limit = Number.parseInt(tx ?? '0', 16);
      // A limit of 0 means this kernel (or sandbox) does not fill the fields in.
      return limit > 0 ? { length: Number.parseInt(rx ?? '0', 16), limit } : undefined;
    }
  }
  return undefined;
}
