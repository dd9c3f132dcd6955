// What `tsgi serve` accepts as an app module, and what it refuses with a message naming the fix.
import { describe, expect, it } from 'vitest';
import { startTsgi } from './run-tsgi.js';

describe('an app module that calls serve() itself', () => {
  it.each([
    ['awaits it', '1'],
    ['does not await it', '0'],
  ])('is refused when it %s, with the fix named (--workers 1)', async (_, awaited) => {
    const tsgi = startTsgi(['serve', 'serves-itself.mjs', '--port', '0', '--workers', '1'], {
      env: { AWAIT_SERVE: awaited },
    });
    expect(await tsgi.exited).toBe(1);
    expect(tsgi.stderr()).toContain(
      'serves-itself.mjs called serve() while `tsgi serve` imported it',
    );
    expect(tsgi.stderr()).toContain('export const application = ...');
    expect(tsgi.stderr()).not.toMatch(/listening on/);
  });

  it('is refused in each worker, and the master says why it stops', async () => {
    const tsgi = startTsgi(['serve', 'serves-itself.mjs', '--port', '0', '--workers', '2']);
    expect(await tsgi.exited).not.toBe(0);
    expect(tsgi.stderr()).toContain('called serve() while `tsgi serve` imported it');
  });
});
