import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { BOUNDS, bound } from '../../../tools/test-support/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'tsgi-spec-tarball-'));
/** Each build, pack, install and node run is bounded, so a hang fails with its command. */
const timeout = bound(BOUNDS.slow);

afterAll(() => rmSync(work, { recursive: true, force: true }));

test(
  'the packed tarball installs with plain npm, offline, and exports validate',
  () => {
    // Build and pack a copy in a temporary folder: rebuilding this package's own
    // dist/ here would race with other packages' type checks that read it.
    const pkg = join(work, 'pkg');
    mkdirSync(pkg);
    execFileSync('pnpm', ['exec', 'tsup', '--out-dir', join(pkg, 'dist')], {
      cwd: root,
      stdio: 'pipe',
      timeout,
    });
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    delete manifest.scripts;
    writeFileSync(join(pkg, 'package.json'), JSON.stringify(manifest, null, 2));
    for (const file of ['README.md', 'SPEC.md']) copyFileSync(join(root, file), join(pkg, file));
    execFileSync('pnpm', ['pack', '--pack-destination', work], {
      cwd: pkg,
      stdio: 'pipe',
      timeout,
    });
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
    expect(tarball).toMatch(/^tsgi-spec-\d+\.\d+\.\d+.*\.tgz$/);

    const project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'tarball-check', private: true, type: 'module' }),
    );
    // @tsgi/spec has no runtime dependencies, so nothing is fetched, and the install needs no
    // cache: it gets one of its own, so it never writes the machine's npm cache beside another run.
    execFileSync(
      'npm',
      [
        'install',
        '--offline',
        '--no-audit',
        '--no-fund',
        '--cache',
        join(work, 'npm-cache'),
        join(work, tarball!),
      ],
      { cwd: project, stdio: 'pipe', timeout },
    );
    expect(existsSync(join(project, 'node_modules/@tsgi/spec/SPEC.md'))).toBe(true);
    expect(existsSync(join(project, 'node_modules/@tsgi/spec/README.md'))).toBe(true);
    // The build copied the repository's LICENSE beside dist/ (tsup.config.base.ts).
    expect(readFileSync(join(project, 'node_modules/@tsgi/spec/LICENSE'), 'utf8')).toMatch(
      /^MIT License/,
    );

    const typeOfValidate = execFileSync(
      process.execPath,
      ['-e', "import('@tsgi/spec').then(m => console.log(typeof m.validate))"],
      { cwd: project, encoding: 'utf8', timeout },
    );
    expect(typeOfValidate.trim()).toBe('function');

    // The installed build also works: a validated app catches a hop-by-hop header.
    const rule = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { validate } from '@tsgi/spec';
       const app = validate((e, sr) => { sr('200 OK', [['Connection', 'close']]); return []; });
       const environ = { REQUEST_METHOD: 'GET', SCRIPT_NAME: '', PATH_INFO: '/', QUERY_STRING: '',
         SERVER_NAME: 'localhost', SERVER_PORT: '80', SERVER_PROTOCOL: 'HTTP/1.1', REMOTE_ADDR: '',
         REMOTE_PORT: '', REQUEST_URI: '/', 'tsgi.version': [1, 0], 'tsgi.url_scheme': 'http',
         'tsgi.input': { read: async () => new Uint8Array(), async *[Symbol.asyncIterator]() {} },
         'tsgi.errors': { write() {}, flush() {} }, 'tsgi.multithread': true,
         'tsgi.multiprocess': false, 'tsgi.run_once': false };
       try { app(environ, () => async () => {}); } catch (error) { console.log(error.rule); }`,
      ],
      { cwd: project, encoding: 'utf8', timeout },
    );
    expect(rule.trim()).toBe('sr.6');
  },
  bound(180_000),
); // a build, a pack and an npm install: slow on a busy machine
