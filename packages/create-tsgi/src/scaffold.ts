import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { DEPLOY_FILES, deployDir, templateDir, versions } from './assets.js';
import { CONFIG, nginxFor, type Protocol, passDirective, serviceFor } from './deploy-files.js';
import { DEPLOY_GUIDE, repositoryFileUrl } from './guide.js';

export { PROTOCOLS, type Protocol } from './deploy-files.js';

/** What `scaffold` makes. */
export interface ScaffoldOptions {
  /** The folder to create (must not exist, or be empty). */
  dir: string;
  /** The package name; default: the folder's name. */
  name?: string;
  /**
   * How Nginx talks to the app in production: `http` (proxy_pass, default),
   * `uwsgi` (uwsgi_pass) or `fastcgi` (fastcgi_pass).
   */
  protocol?: Protocol;
}

/** A package name npm accepts: lower case, URL-safe, optionally scoped. */
const NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/** Why `name` is not a usable package name, or `undefined`. */
export function nameProblem(name: string): string | undefined {
  if (name.length > 214) return 'a package name has at most 214 characters';
  if (!NAME.test(name)) {
    return `${JSON.stringify(name)} is not a package name: use lower-case letters, digits, "-", "." or "_"`;
  }
  return undefined;
}

/**
 * Writes a new standalone app into `options.dir`: the template (`src/app.ts`,
 * its test, `tsgi.json`, README), a `package.json` depending on the published
 * `@tsgi/*` packages, and `deploy/` with `@tsgi/node`'s Nginx, systemd and tsgi
 * config files: `nginx.conf` cut to the protocol's one site (port 80), the
 * unit set to run the app's own `tsgi` with the protocol's config. Returns the files written, relative to `dir`. Throws when `dir` is
 * a file or a folder that is not empty, or the name is not a package name.
 *
 * @example
 * scaffold({ dir: 'my-app', protocol: 'http' });
 */
export function scaffold(options: ScaffoldOptions): string[] {
  const dir = resolve(options.dir);
  const name = options.name ?? basename(dir);
  const protocol = options.protocol ?? 'http';
  const problem = nameProblem(name);
  if (problem !== undefined) throw new Error(problem);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new Error(`${options.dir} exists and is not empty: pick a new folder`);
  }
  const written: string[] = [];
  const write = (file: string, text: string) => {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
    written.push(file);
  };
  const fill = (text: string) =>
    text
      .replaceAll('{{name}}', name)
      .replaceAll('{{protocol}}', protocol)
      .replaceAll('{{config}}', CONFIG[protocol])
      .replaceAll('{{pass}}', passDirective(protocol))
      .replaceAll('{{nginxGuide}}', repositoryFileUrl(DEPLOY_GUIDE.nginx))
      .replaceAll('{{systemdGuide}}', repositoryFileUrl(DEPLOY_GUIDE.systemd));
  const copyTemplate = (from: string, to: string) => {
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      // npm leaves .gitignore files out of tarballs: the template's is _gitignore.
      const target = join(to, entry.name === '_gitignore' ? '.gitignore' : entry.name);
      if (entry.isDirectory()) copyTemplate(join(from, entry.name), target);
      else write(target, fill(readFileSync(join(from, entry.name), 'utf8')));
    }
  };
  copyTemplate(templateDir(), '');
  write('package.json', `${JSON.stringify(packageJson(name), null, 2)}\n`);
  for (const file of DEPLOY_FILES) {
    let text = readFileSync(join(deployDir(), file), 'utf8');
    if (file === 'tsgi.service') text = serviceFor(text, protocol);
    if (file === 'nginx.conf') text = nginxFor(text, protocol);
    write(join('deploy', file), text);
  }
  return written;
}

/** The new app's package.json. */
function packageJson(name: string): Record<string, unknown> {
  const v = versions();
  const pick = (names: string[]) => Object.fromEntries(names.map((n) => [n, v[n]!]));
  return {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: '>=20' },
    scripts: {
      dev: 'tsgi serve src/app.ts --reload --workers 1',
      build: 'tsc -p tsconfig.build.json',
      start: 'npm run build && tsgi serve --config tsgi.json',
      test: 'vitest run',
      typecheck: 'tsc --noEmit',
    },
    dependencies: pick([
      '@tsgi/middleware-cors',
      '@tsgi/middleware-timing',
      '@tsgi/node',
      '@tsgi/router',
      '@tsgi/spec',
    ]),
    devDependencies: pick(['@tsgi/test-client', 'typescript', 'vitest']),
  };
}
