/**
 * Writes one readable line about a process event to stderr:
 * `2026-11-27T15:04:05.123Z tsgi master[4242]: worker 3 (pid 4250) ready`.
 */
export function logEvent(role: 'master' | 'worker' | 'server', message: string): void {
  process.stderr.write(`${new Date().toISOString()} tsgi ${role}[${process.pid}]: ${message}\n`);
}

/**
 * A count and its noun for a log line, the noun plural unless the count is 1:
 * `counted(1, 'worker')` is `1 worker`, `counted(2, 'new worker')` is `2 new workers`.
 */
export function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
