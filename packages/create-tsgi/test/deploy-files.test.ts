/**
 * The deploy/ files of a new app say the truth for its protocol: the unit's
 * comments and config, the one Nginx site, and the README's links to the
 * deployment guide, whose pages exist in the repository.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEPLOY_GUIDE, repositoryFileUrl } from '../src/guide.js';
import { PROTOCOLS, scaffold } from '../src/index.js';

const work = mkdtempSync(join(tmpdir(), 'create-tsgi-deploy-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const repo = fileURLToPath(new URL('../../../', import.meta.url));

const EXPECTED = {
  http: { pass: 'proxy_pass', name: 'HTTP', config: 'tsgi.json', upstream: 'tsgi_http' },
  uwsgi: { pass: 'uwsgi_pass', name: 'uwsgi protocol', config: 'tsgi.ini', upstream: 'tsgi_uwsgi' },
  fastcgi: {
    pass: 'fastcgi_pass',
    name: 'FastCGI',
    config: 'tsgi-fastcgi.ini',
    upstream: 'tsgi_fastcgi',
  },
} as const;

describe.each(PROTOCOLS)('a %s app', (protocol) => {
  const dir = join(work, `${protocol}-app`);
  scaffold({ dir, protocol });
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  const want = EXPECTED[protocol];

  it('has a unit whose comments name its protocol and that runs the app’s own tsgi', () => {
    const unit = read('deploy/tsgi.service');
    expect(unit.split('\n')[0]).toBe(
      `# /etc/systemd/system/tsgi.service — the app behind Nginx's ${want.pass}.`,
    );
    expect(unit).toMatch(
      new RegExp(`^Description=tsgi application server \\(${want.name}, behind Nginx\\)$`, 'm'),
    );
    expect(unit).toMatch(
      new RegExp(
        `^ExecStart=/srv/app/node_modules/\\.bin/tsgi serve --config /etc/tsgi/${want.config}$`,
        'm',
      ),
    );
    for (const other of PROTOCOLS.filter((p) => p !== protocol)) {
      expect(unit).not.toContain(EXPECTED[other].pass);
    }
  });

  it('has an nginx.conf with its one site, on port 80', () => {
    const conf = read('deploy/nginx.conf');
    expect(conf.match(/^ {4}server \{$/gm)).toHaveLength(1);
    expect(conf.match(/^ {4}upstream \S+ \{$/gm)).toEqual([`    upstream ${want.upstream} {`]);
    expect(conf.match(/^ +listen .*;$/gm)).toEqual(['        listen 80;']);
    expect(conf).toContain(`${want.pass} `);
    for (const other of PROTOCOLS.filter((p) => p !== protocol)) {
      expect(conf).not.toContain(`${EXPECTED[other].pass} `);
    }
  });

  it('has a README that says the unit runs the app’s own tsgi, installed with the app', () => {
    const readme = read('README.md');
    expect(readme).toContain(
      `\`/srv/app/node_modules/.bin/tsgi serve --config /etc/tsgi/${want.config}\``,
    );
    expect(readme).toContain('npm ci');
    expect(readme).not.toMatch(/npm install (-g|--global)/);
    expect(readme).not.toContain('node_modules/@tsgi/node/deploy');
    expect(readme).not.toContain('{{');
  });
});

describe('the deployment guide a new app links to', () => {
  it('is on the documentation site, linked by the repository URL package.json gives', () => {
    const manifest = JSON.parse(
      readFileSync(join(repo, 'packages/create-tsgi/package.json'), 'utf8'),
    );
    expect(manifest.repository.url).toBe('git+https://github.com/tsgi/tsgi.git');
    const readme = readFileSync(join(work, 'http-app/README.md'), 'utf8');
    for (const page of Object.values(DEPLOY_GUIDE)) {
      expect(page).toMatch(/^docs\/deploy\/[a-z-]+\.md$/);
      const url = repositoryFileUrl(page);
      expect(url).toBe(`https://github.com/tsgi/tsgi/blob/main/${page}`);
      expect(readme).toContain(`](${url})`);
      expect(existsSync(join(repo, page)), `${page} exists`).toBe(true);
    }
  });
});
