import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The sibling every generated middleware copies its package.json shape from:
 * the one source of truth for `exports`, `files`, `engines`, the scripts and
 * the rest of the house fields. The generator test checks that the other
 * middleware packages still agree with it.
 */
export const REFERENCE_PACKAGE = 'packages/middleware-timing';

/** Fields copied as they are from the reference package. */
export const HOUSE_FIELDS = [
  'license',
  'author',
  'type',
  'sideEffects',
  'exports',
  'types',
  'files',
  'engines',
  'publishConfig',
];

/** The scripts every package has; a sibling's extra ones (`bench`) are its own. */
export const HOUSE_SCRIPTS = ['build', 'test', 'typecheck', 'check:publish'];

/** The house fields and scripts of a package.json object, for comparing packages. */
export function houseShape(manifest) {
  const shape = {};
  for (const field of HOUSE_FIELDS) shape[field] = manifest[field];
  shape.scripts = {};
  for (const script of HOUSE_SCRIPTS) shape.scripts[script] = manifest.scripts?.[script];
  return shape;
}

/**
 * The package.json of a new middleware package: its own name, version 0.0.0
 * (its first changeset makes it 0.1.0), description and keywords, the house
 * fields of the reference sibling, and the workspace dependencies every
 * middleware has (`@tsgi/spec`; `@tsgi/test-client` for its tests).
 */
export function middlewarePackageJson(root, names, description) {
  const reference = JSON.parse(readFileSync(join(root, REFERENCE_PACKAGE, 'package.json'), 'utf8'));
  const shape = houseShape(reference);
  const manifest = {
    name: names.packageName,
    version: '0.0.0',
    description,
    keywords: [...new Set(['tsgi', 'middleware', ...names.name.split('-')])],
    license: shape.license,
    author: shape.author,
  };
  if (reference.repository !== undefined) {
    manifest.repository = { ...reference.repository, directory: names.dir };
  }
  for (const field of HOUSE_FIELDS.slice(2)) {
    if (shape[field] !== undefined) manifest[field] = shape[field];
  }
  manifest.scripts = shape.scripts;
  manifest.dependencies = { '@tsgi/spec': 'workspace:^' };
  manifest.devDependencies = { '@tsgi/test-client': 'workspace:^' };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
