// `pnpm dev`: the app from its sources under `tsgi serve --reload`; a touched source file reloads it.
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { BOUNDS, bound, guarded, until } from '../../../tools/test-support/index.ts';
import { startCommand } from './support/processes.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const data = mkdtempSync(join(tmpdir(), 'items-api-dev-'));
afterAll(() => rmSync(data, { recursive: true, force: true }));

test('pnpm dev serves src/ and reloads when a source file changes', async () => {
  // Port 0: the kernel picks a free port, and tsgi prints the one it got.
  const dev = startCommand('pnpm', ['dev', '--port', '0'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: `sqlite:${join(data, 'items.db')}` },
  });
  const printed = () => `pnpm dev printed:\n${dev.output()}`;
  await guarded(
    async () => {
      const [, url] = await dev.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+) /);
      const health = async () => {
        try {
          const response = await fetch(`${url}/health`, {
            signal: AbortSignal.timeout(bound(BOUNDS.short)),
          });
          return response.status === 200;
        } catch {
          return false;
        }
      };
      await until(health, {
        ms: BOUNDS.process,
        what: `GET ${url}/health to answer 200`,
        details: printed,
      });
      expect(dev.output()).toContain('--reload: watching');
      const now = new Date();
      utimesSync(join(root, 'src/cors-origins.ts'), now, now);
      await dev.waitFor(/cors-origins\.ts changed: rolling reload[\s\S]*reload done/);
      expect(await health()).toBe(true);
    },
    // A process that is gone already is no error: the test's own failure stays the one shown.
    () => dev.stop(),
  );
});
