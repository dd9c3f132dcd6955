/**
 * `@tsgi/node` compiles an environ layout per header-name list with
 * `new Function`; where code generation is forbidden
 * (`node --disallow-code-generation-from-strings`, a hardened runtime) it must
 * still import and serve, on the generic path.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { BOUNDS, bound, guarded } from '../../../tools/test-support/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
let dir: string;

beforeAll(async () => {
  // Inside this package's node_modules, so the bundle resolves its runtime
  // dependencies (ws) the way an installed @tsgi/node does.
  const cache = join(root, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  dir = mkdtempSync(join(cache, 'tsgi-nocodegen-'));
  await build({
    entry: { index: `${root}src/index.ts` },
    outDir: dir,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    dts: false,
    silent: true,
    config: false,
    noExternal: [/^@tsgi\//],
    esbuildOptions(options) {
      options.alias = {
        '@tsgi/spec': fileURLToPath(new URL('../../spec/src/index.ts', import.meta.url)),
      };
    },
  });
  writeFileSync(
    join(dir, 'main.mjs'),
    `import { serve } from './index.js';
const app = (environ, startResponse) => {
  const body = Buffer.from(JSON.stringify({ id: environ.HTTP_X_ID, host: environ.HTTP_HOST, under: environ.HTTP_X_UNDER ?? null }));
  startResponse('200 OK', [['Content-Type', 'application/json'], ['Content-Length', String(body.length)]]);
  return [body];
};
try { new Function('return 1'); console.log('codegen-allowed'); } catch { }
const server = await serve(app, { host: '127.0.0.1', port: 0 });
console.log(JSON.stringify({ port: server.address.port }));
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
`,
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('imports and serves under --disallow-code-generation-from-strings', async () => {
  const child = spawn(process.execPath, ['--disallow-code-generation-from-strings', 'main.mjs'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await guarded(
    async () => {
      const first = await new Promise<string>((resolve, reject) => {
        const limit = bound(BOUNDS.process);
        const timer = setTimeout(
          () => reject(new Error(`no port within ${limit} ms: ${stderr}`)),
          limit,
        );
        let out = '';
        child.stdout.on('data', (chunk) => {
          out += chunk;
          if (out.includes('\n')) {
            clearTimeout(timer);
            resolve(out.split('\n')[0]!);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
      });
      expect(first).not.toBe('codegen-allowed');
      const { port } = JSON.parse(first) as { port: number };
      // The same header names three times: where code generation works, the
      // second sighting compiles a layout; here every request takes the generic path.
      for (let i = 0; i < 3; i++) {
        const response = await fetch(`http://127.0.0.1:${port}/`, {
          headers: { 'X-Id': String(i), X_Under: 'spoof' },
        });
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({
          id: String(i),
          host: `127.0.0.1:${port}`,
          under: null,
        });
      }
      // kill() of a child that exited already is no error; its exit is awaited either way.
    },
    () => child.kill('SIGKILL'),
    () => exited,
  );
});
