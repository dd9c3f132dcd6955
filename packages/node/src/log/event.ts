/**
 * Writes one readable line about a process event to stderr:
 * `2026-11-27T15:04:05.123Z tsgi master[4242]: worker 3 (pid 4250) ready`.
 */
export function logEvent(role: 'master' | 'worker' | 'server', message: string): void {
  process.stderr.write(`${new Date().toISOString()} tsgi ${role}[${process.pid}]: ${message}\n`);
}
