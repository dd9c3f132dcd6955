import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { guarded } from '../../../tools/test-support/index.ts';
import type { TsgiServer } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tsgi-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('runs the example the README opens with', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const example = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
  expect(example).toContain('port: 8000');
  // Same code, on a free port, exporting its server so the test can stop it.
  const file = join(dir, 'example.ts');
  writeFileSync(file, `${example.replace('port: 8000', 'port: 0')}\nexport { server };\n`);
  const log: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => log.push(args.join(' '));
  let server: TsgiServer;
  try {
    ({ server } = (await import(/* @vite-ignore */ file)) as { server: TsgiServer });
  } finally {
    console.log = original;
  }
  await guarded(
    async () => {
      expect(log[0]).toBe(`listening on ${server.address.url}`);
      const health = await fetch(`${server.address.url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const missing = await fetch(`${server.address.url}/nope`);
      expect(missing.status).toBe(404);
      expect(await missing.text()).toBe('no route for /nope\n');
    },
    () => server.close({ timeout: 100 }),
  );
});
