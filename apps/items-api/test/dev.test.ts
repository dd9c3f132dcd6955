// `pnpm dev`: the app from its sources under `tsgi serve --reload`; a touched source file reloads it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const data = mkdtempSync(join(tmpdir(), 'items-api-dev-'));
afterAll(() => rmSync(data, { recursive: true, force: true }));

/** Waits until `check()` is true; bounded. */
async function until(check: () => boolean | Promise<boolean>, what: () => string, ms = 120_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('pnpm dev serves src/ and reloads when a source file changes', async () => {
  const port = String(20_000 + Math.floor(Math.random() * 20_000));
  const child = spawn('pnpm', ['dev', '--port', port], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: `sqlite:${join(data, 'items.db')}` },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk));
  const health = async () => {
    try {
      return (await fetch(`http://127.0.0.1:${port}/health`)).status === 200;
    } catch {
      return false;
    }
  };
  try {
    await until(health, () => log);
    expect(log).toContain('--reload: watching');
    const now = new Date();
    utimesSync(join(root, 'src/cors-origins.ts'), now, now);
    await until(
      () => /cors-origins\.ts changed: rolling reload/.test(log) && /reload done/.test(log),
      () => log,
    );
    expect(await health()).toBe(true);
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
  }
}, 300_000);
