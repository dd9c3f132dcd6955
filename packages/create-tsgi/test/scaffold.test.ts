import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { complete, DEFAULT_DIR, readArgs, scaffold } from '../src/index.js';

const work = mkdtempSync(join(tmpdir(), 'create-tsgi-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the command line', () => {
  it('reads the folder, --name, --protocol and --yes, and refuses a bad protocol', () => {
    expect(readArgs(['app', '--protocol', 'uwsgi', '--yes'])).toEqual({
      options: { dir: 'app', protocol: 'uwsgi' },
      yes: true,
      help: false,
    });
    expect(() => readArgs(['--protocol', 'grpc'])).toThrow(
      '--protocol must be one of http, uwsgi, fastcgi',
    );
  });

  it('--yes takes the defaults without asking', async () => {
    expect(await complete({}, true)).toEqual({ dir: DEFAULT_DIR });
  });

  it('asks for what is missing, again after an unusable answer, defaults on Enter', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let asked = '';
    output.on('data', (chunk: Buffer) => {
      asked += chunk;
      if (asked.endsWith('(my-tsgi-app): ') && !asked.includes('not a package name')) {
        input.write('Bad Name\n');
      } else if (asked.endsWith('(my-tsgi-app): ')) input.write('shop\n');
      else if (asked.endsWith('(http): ') && !asked.includes('answer http')) input.write('ftp\n');
      else if (asked.endsWith('(http): ')) input.write('\n');
    });
    expect(await complete({}, false, input, output)).toEqual({ dir: 'shop', protocol: 'http' });
    expect(asked).toContain('"Bad Name" is not a package name');
  });
});

describe('scaffold', () => {
  it('writes the app with the name, and a unit for the protocol running the app’s own tsgi', () => {
    const dir = join(work, 'uwsgi-app');
    const files = scaffold({ dir, protocol: 'uwsgi' });
    expect(files).toContain('src/app.ts');
    expect(files).toContain('.gitignore');
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(manifest.name).toBe('uwsgi-app');
    expect(manifest.scripts.dev).toBe('tsgi serve src/app.ts --reload --workers 1');
    expect(manifest.dependencies['@tsgi/node']).toMatch(/^\^\d+\.\d+\.\d+/);
    const unit = readFileSync(join(dir, 'deploy/tsgi.service'), 'utf8');
    expect(unit).toContain(
      'ExecStart=/srv/app/node_modules/.bin/tsgi serve --config /etc/tsgi/tsgi.ini',
    );
    expect(readFileSync(join(dir, 'test/app.test.ts'), 'utf8')).toContain('Hello from uwsgi-app');
  });

  it('runs a fastcgi app with tsgi-fastcgi.ini, copied from @tsgi/node', () => {
    const dir = join(work, 'fastcgi-app');
    scaffold({ dir, protocol: 'fastcgi' });
    expect(readFileSync(join(dir, 'deploy/tsgi.service'), 'utf8')).toContain(
      'ExecStart=/srv/app/node_modules/.bin/tsgi serve --config /etc/tsgi/tsgi-fastcgi.ini',
    );
    expect(readFileSync(join(dir, 'deploy/tsgi-fastcgi.ini'), 'utf8')).toBe(
      readFileSync(new URL('../../node/deploy/tsgi-fastcgi.ini', import.meta.url), 'utf8'),
    );
  });

  it('refuses a folder that is not empty, and a name npm would not take', () => {
    const dir = join(work, 'taken');
    scaffold({ dir });
    writeFileSync(join(dir, 'extra'), '');
    expect(() => scaffold({ dir })).toThrow('exists and is not empty');
    expect(() => scaffold({ dir: join(work, 'Upper Case') })).toThrow('is not a package name');
  });
});
