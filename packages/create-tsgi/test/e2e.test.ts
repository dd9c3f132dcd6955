// From zero, as a user outside this repository would: pack the workspace packages, scaffold an app
// into a temp folder, install it with plain npm from those tarballs (no workspace links), and run
// its `npm test`, `npm start` (a real request over HTTP) and `tsc --noEmit` under strict with
// moduleResolution node16 and bundler.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BOUNDS, bound, guarded, stopGroup, until } from '../../../tools/test-support/index.ts';
import { DEPLOY_FILES, scaffold } from '../src/index.js';

const packages = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'create-tsgi-e2e-'));
const app = join(work, 'my-app');
const TSGI = ['spec', 'node', 'router', 'middleware-cors', 'middleware-timing', 'test-client'];
const MINUTES = 60_000;
/** The tarball of each package, as an npm `file:` spec. */
let files: Record<string, string>;

afterAll(() => {
  if (process.env.KEEP_E2E !== '1') rmSync(work, { recursive: true, force: true });
});

/** Runs a command to its end in `cwd` (the app by default), bounded; throws with its output on failure. */
const run = (command: string, args: string[], cwd = app) =>
  execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: 'pipe',
    timeout: bound(BOUNDS.slow),
  });

/**
 * The lock every npm install of the test suites takes: installs fill the
 * machine's one npm cache, and two runs at once (two clones) take turns
 * writing it instead of racing. A wait longer than a bound fails (flock's
 * exit status 75), naming the lock.
 */
const NPM_CACHE_LOCK = join(tmpdir(), 'tsgi-npm-cache.lock');

/** `npm install …args` in `cwd`, holding {@link NPM_CACHE_LOCK}. */
function npmInstall(args: string[], cwd = app): void {
  const wait = String(Math.ceil(bound(BOUNDS.slow) / 1000));
  try {
    run(
      'flock',
      ['--wait', wait, '--conflict-exit-code', '75', NPM_CACHE_LOCK, 'npm', 'install', ...args],
      cwd,
    );
  } catch (error) {
    if ((error as { status?: number }).status === 75)
      throw new Error(`another npm install held ${NPM_CACHE_LOCK} for more than ${wait} s`);
    throw error;
  }
}

beforeAll(
  () => {
    // The packages as published: built (turbo builds dependencies before tests), then packed.
    const tarballs = join(work, 'tarballs');
    mkdirSync(tarballs);
    files = {};
    for (const name of TSGI) {
      run('pnpm', ['pack', '--pack-destination', tarballs], join(packages, name));
      const file = readdirSync(tarballs).find((f) => f.startsWith(`tsgi-${name}-`))!;
      files[`@tsgi/${name}`] = `file:${join(tarballs, file)}`;
    }
    scaffold({ dir: app, name: 'my-app', protocol: 'http' });
    // Point every @tsgi/* range at its tarball, for the app and for the packages' own dependencies.
    const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
    for (const field of ['dependencies', 'devDependencies']) {
      for (const name of Object.keys(manifest[field])) {
        if (files[name] !== undefined) manifest[field][name] = files[name];
      }
    }
    manifest.overrides = files;
    writeFileSync(join(app, 'package.json'), JSON.stringify(manifest, null, 2));
    npmInstall(['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error']);
  },
  bound(10 * MINUTES),
);

it('installs without workspace links and carries every LICENSE', () => {
  for (const name of TSGI) {
    const dir = join(app, 'node_modules/@tsgi', name);
    expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  }
  expect(readdirSync(join(app, 'deploy')).sort()).toEqual([...DEPLOY_FILES].sort());
});

it(
  'type-checks @tsgi/node under strict in a project with nothing else: its types bring @types/node',
  () => {
    // No vitest here (its peers would install @types/node too): only what the import needs.
    const bare = join(work, 'bare');
    mkdirSync(bare);
    const deps = { '@tsgi/node': files['@tsgi/node']!, '@tsgi/spec': files['@tsgi/spec']! };
    writeFileSync(
      join(bare, 'package.json'),
      JSON.stringify({
        name: 'bare',
        private: true,
        type: 'module',
        dependencies: deps,
        overrides: deps,
      }),
    );
    writeFileSync(
      join(bare, 'server.ts'),
      "import { serve } from '@tsgi/node';\nimport { jsonResponse } from '@tsgi/spec';\n" +
        'await serve((_e, sr) => jsonResponse(sr, 200, {}), { port: 0 });\n',
    );
    const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
    const typescript = `typescript@${manifest.devDependencies.typescript}`;
    npmInstall(['--prefer-offline', '--no-audit', '--no-fund', typescript], bare);
    expect(readdirSync(join(bare, 'node_modules/@types'))).toEqual(['node']);
    // "types": [] loads no @types by itself: only the reference in @tsgi/node's types can.
    const compilerOptions = { strict: true, noEmit: true, target: 'es2022', types: [] };
    writeFileSync(
      join(bare, 'tsconfig.json'),
      JSON.stringify({ compilerOptions, files: ['server.ts'] }),
    );
    for (const [module, resolution] of [
      ['node16', 'node16'],
      ['esnext', 'bundler'],
    ]) {
      run('npx', ['tsc', '-p', '.', '--module', module!, '--moduleResolution', resolution!], bare);
    }
  },
  bound(5 * MINUTES),
);

it(
  'passes its own npm test',
  () => {
    expect(run('npm', ['test'])).toMatch(/2 passed/);
  },
  bound(3 * MINUTES),
);

it.each([
  ['node16', 'node16'],
  ['esnext', 'bundler'],
])(
  'type-checks under strict with --module %s --moduleResolution %s',
  (module, resolution) => {
    run('npx', [
      'tsc',
      '--noEmit',
      '-p',
      'tsconfig.json',
      '--module',
      module,
      '--moduleResolution',
      resolution,
    ]);
  },
  bound(3 * MINUTES),
);

it(
  'answers a real request over HTTP after npm start',
  async () => {
    // Port 0: the kernel picks a free port, and tsgi prints the one it got.
    const child = spawn('npm', ['start', '--', '--port', '0'], {
      cwd: app,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (chunk: Buffer) => (log += chunk));
    child.stderr.on('data', (chunk: Buffer) => (log += chunk));
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
    const LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+) /;
    await guarded(
      async () => {
        // npm start builds first, then serves.
        await until(
          () => {
            if (child.exitCode !== null || child.signalCode !== null)
              throw new Error(`npm start exited (${child.exitCode ?? child.signalCode}):\n${log}`);
            return LISTENING.test(log);
          },
          { ms: BOUNDS.slow, what: 'npm start to listen', details: () => `it printed:\n${log}` },
        );
        const url = LISTENING.exec(log)![1];
        const response = await fetch(`${url}/`, {
          headers: { Origin: 'https://example.com' },
          signal: AbortSignal.timeout(bound(BOUNDS.short)),
        });
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ message: 'Hello from my-app' });
        expect(response.headers.get('access-control-allow-origin')).toBe('*');
        expect(response.headers.get('x-process-time')).toMatch(/^\d/);
      },
      // npm, its shell, tsgi and its workers: the whole group, even if npm is gone already.
      () => stopGroup(child, exited, { group: true, graceMs: bound(BOUNDS.short) }),
    );
  },
  bound(5 * MINUTES),
);
