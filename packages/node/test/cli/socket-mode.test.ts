import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, readyWorkers, startTsgi, waitReady } from './run-tsgi.js';

const dir = mkdtempSync(join(tmpdir(), 'tsgi-cli-socket-mode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `tsgi` started by a shell whose umask is 000. */
const UMASK_000 = ['sh', '-c', 'umask 000 && exec "$0" "$@"', process.execPath, CLI];

/** The umask of a running process, from /proc. */
function umaskOf(pid: number): string {
  return /^Umask:\s*(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '?';
}

// The socket's mode is --chmod-socket (0660 by default), never what the umask makes it.
describe.each([1, 2])('tsgi serve --socket under umask 000 (--workers %i)', (workers) => {
  it('creates the socket 0660 without --chmod-socket; the app keeps the umask', async () => {
    const path = join(dir, `default-${workers}.sock`);
    const tsgi = startTsgi(['serve', 'app.mjs', '--socket', path, '--workers', String(workers)], {
      command: UMASK_000,
    });
    expect(await tsgi.listening).toBe(`unix:${path}`);
    expect(statSync(path).mode & 0o777).toBe(0o660);
    const pids = workers === 1 ? [tsgi.child.pid!] : await waitReady(tsgi, workers);
    if (workers > 1) expect(readyWorkers(tsgi.stderr())).toHaveLength(workers);
    for (const pid of pids) expect(umaskOf(pid)).toBe('0000');
    tsgi.child.kill('SIGTERM');
    expect(await tsgi.exited).toBe(0);
  });

  it('creates it with --chmod-socket 600', async () => {
    const path = join(dir, `owner-${workers}.sock`);
    const tsgi = startTsgi(
      ['serve', 'app.mjs', '--socket', path, '--chmod-socket', '600', '--workers', String(workers)],
      { command: UMASK_000 },
    );
    await tsgi.listening;
    expect(statSync(path).mode & 0o777).toBe(0o600);
    tsgi.child.kill('SIGTERM');
    expect(await tsgi.exited).toBe(0);
  });
});
