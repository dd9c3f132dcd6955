import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The deploy files of `@tsgi/node` a new app gets, in its `deploy/` folder. */
export const DEPLOY_FILES = [
  'nginx.conf',
  'tsgi.service',
  'tsgi.ini',
  'tsgi.json',
  'tsgi-fastcgi.ini',
] as const;

/** The packages a new app depends on, with the version range it asks for. */
export type Versions = Record<string, string>;

/** The `@tsgi/*` packages of a new app, and the tools its scripts run. */
const TSGI_PACKAGES = [
  'node',
  'router',
  'spec',
  'middleware-cors',
  'middleware-timing',
  'test-client',
] as const;
const TOOLS = ['typescript', 'vitest'] as const;

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

/**
 * Where the deploy files and `versions.json` are: `dist/` of the published
 * package (copied there by the build), else the workspace's sources, when
 * this file runs from `src/` (the tests).
 */
function workspace(): string | undefined {
  const root = here('../../../');
  return existsSync(join(root, 'packages/node/deploy')) ? root : undefined;
}

/** The version ranges a new app asks for: `^` the workspace's versions. */
export function workspaceVersions(root: string): Versions {
  const versions: Versions = {};
  for (const name of TSGI_PACKAGES) {
    versions[`@tsgi/${name}`] =
      `^${readJson(join(root, 'packages', name, 'package.json')).version}`;
  }
  const tools = readJson(join(root, 'package.json')).devDependencies as Record<string, string>;
  for (const name of TOOLS) versions[name] = `^${tools[name]!.replace(/^[\^~]/, '')}`;
  return versions;
}

/** The versions a new app depends on. */
export function versions(): Versions {
  const built = here('./versions.json');
  if (existsSync(built)) return readJson(built) as Versions;
  return workspaceVersions(workspace()!);
}

/** The folder holding the deploy files of `@tsgi/node`. */
export function deployDir(): string {
  const built = here('./deploy');
  return existsSync(built) ? built : join(workspace()!, 'packages/node/deploy');
}

/** The folder of the app template. */
export function templateDir(): string {
  return here('../templates/app');
}

/**
 * Run by the build: copies `@tsgi/node`'s deploy files into `outDir/deploy`
 * and writes `outDir/versions.json`, so the published package needs no
 * second copy of either.
 */
export function writeAssets(outDir: string): void {
  const root = join(outDir, '../../..');
  mkdirSync(join(outDir, 'deploy'), { recursive: true });
  for (const file of DEPLOY_FILES) {
    copyFileSync(join(root, 'packages/node/deploy', file), join(outDir, 'deploy', file));
  }
  writeFileSync(
    join(outDir, 'versions.json'),
    `${JSON.stringify(workspaceVersions(root), null, 2)}\n`,
  );
}
