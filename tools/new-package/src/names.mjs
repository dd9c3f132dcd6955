import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A problem with what the user asked for: printed as is, without a stack. */
export class UsageError extends Error {
  name = 'UsageError';
}

const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const MAX_LENGTH = 50;

/** `request-id` → `requestId`. */
export function camelCase(kebab) {
  return kebab.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
}

/** `request-id` → `RequestId`. */
export function pascalCase(kebab) {
  const camel = camelCase(kebab);
  return camel[0].toUpperCase() + camel.slice(1);
}

/** True when `identifier` can name a function exported from an ES module. */
function isBindingName(identifier) {
  if (identifier === 'await') return false;
  try {
    new Function(`'use strict'; function ${identifier}() {}`);
    return true;
  } catch {
    return false;
  }
}

/** Every workspace package name, read from the package.json files under the workspace folders. */
function workspacePackageNames(root) {
  const names = new Set();
  for (const folder of ['packages', 'apps', 'tools']) {
    const dir = join(root, folder);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const manifest = join(dir, entry.name, 'package.json');
      if (!entry.isDirectory() || !existsSync(manifest)) continue;
      names.add(JSON.parse(readFileSync(manifest, 'utf8')).name);
    }
  }
  return names;
}

/**
 * Checks a middleware name given on the command line and returns the names
 * derived from it. Throws a UsageError that says what is wrong and what to
 * type instead: not kebab-case, a `middleware-` prefix, a name that cannot be
 * a function name, or a package that already exists.
 *
 * @example
 * checkMiddlewareName('request-id', root);
 * // { name: 'request-id', dir: 'packages/middleware-request-id',
 * //   packageName: '@tsgi/middleware-request-id', camelName: 'requestId', pascalName: 'RequestId' }
 */
export function checkMiddlewareName(name, root) {
  if (name === undefined || name === '') {
    throw new UsageError(
      'missing the middleware name: pnpm new middleware <name>, e.g. request-id',
    );
  }
  if (name.startsWith('middleware-')) {
    throw new UsageError(
      `give the name without the "middleware-" prefix: pnpm new middleware ${name.slice(11) || '<name>'}`,
    );
  }
  if (!KEBAB.test(name)) {
    throw new UsageError(
      `"${name}" is not a kebab-case name: use lower-case letters, digits and single hyphens, starting with a letter (e.g. request-id)`,
    );
  }
  if (name.length > MAX_LENGTH) {
    throw new UsageError(`"${name}" is longer than ${MAX_LENGTH} characters; pick a shorter name`);
  }
  const camelName = camelCase(name);
  if (!isBindingName(camelName)) {
    throw new UsageError(
      `"${name}" would export a function named "${camelName}", a reserved word in JavaScript; pick another name`,
    );
  }
  const dir = `packages/middleware-${name}`;
  const packageName = `@tsgi/middleware-${name}`;
  if (existsSync(join(root, dir))) {
    throw new UsageError(`${dir} already exists; pick another name or remove that folder first`);
  }
  const changeset = `.changeset/middleware-${name}-initial.md`;
  if (existsSync(join(root, changeset))) {
    throw new UsageError(`${changeset} already exists; remove it or pick another name`);
  }
  const page = `docs/packages/middleware-${name}.md`;
  if (existsSync(join(root, page))) {
    throw new UsageError(`${page} already exists; remove it or pick another name`);
  }
  if (workspacePackageNames(root).has(packageName)) {
    throw new UsageError(`a workspace package is already named ${packageName}`);
  }
  return { name, dir, packageName, camelName, pascalName: pascalCase(name) };
}
