/**
 * The master's log lines count workers in words a reader expects: "1 worker",
 * "2 workers", from the start through a rolling reload.
 */
import { describe, expect, it } from 'vitest';
import { startTsgi } from './run-tsgi.js';

describe('the master counts its workers in its log lines', () => {
  it('one worker (--reload keeps the master for it): singular from start to reload', async () => {
    const tsgi = startTsgi(['serve', 'app.mjs', '--port', '0', '--workers', '1', '--reload']);
    await tsgi.listening;
    await tsgi.waitFor(/worker \d+ \(pid \d+\) ready/);
    tsgi.child.kill('SIGHUP');
    await tsgi.waitFor(/reload done/);
    tsgi.child.kill('SIGTERM');
    expect(await tsgi.exited).toBe(0);
    const log = tsgi.stderr();
    expect(log).toMatch(/master\[\d+\]: starting 1 worker for app\.mjs \(http, /);
    expect(log).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+ \(http, 1 worker\)/);
    expect(log).toMatch(/rolling reload, starting 1 new worker$/m);
    expect(log).toMatch(/reload done: 1 new worker serves, old ones drain/);
    expect(log).not.toMatch(/\b1 (new )?workers\b/);
  });

  it('two workers: plural', async () => {
    const tsgi = startTsgi(['serve', 'app.mjs', '--port', '0', '--workers', '2']);
    await tsgi.listening;
    tsgi.child.kill('SIGTERM');
    expect(await tsgi.exited).toBe(0);
    expect(tsgi.stderr()).toMatch(/starting 2 workers for app\.mjs/);
    expect(tsgi.stderr()).toMatch(/listening on \S+ \(http, 2 workers\)/);
  });
});
