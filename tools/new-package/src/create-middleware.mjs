import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addToDocsPackage, nextPackageOrder } from './docs-site.mjs';
import { checkMiddlewareName } from './names.mjs';
import { middlewarePackageJson } from './package-json.mjs';
import { renderTemplates } from './render.mjs';

const TEMPLATES = fileURLToPath(new URL('../templates/middleware/', import.meta.url));

/**
 * Writes `packages/middleware-<name>` (package.json, README, src, test and the
 * three config files), its site page `docs/packages/middleware-<name>.md` and
 * `.changeset/middleware-<name>-initial.md` under the workspace `root`, and
 * lists the package in `docs/package.json`. Throws a UsageError for a bad or
 * taken name, before writing anything. Returns the package folder, the files
 * written and the files changed, relative to `root`.
 *
 * @example
 * createMiddleware(root, 'request-id', 'X-Request-Id for every request.');
 */
export function createMiddleware(root, name, description) {
  const names = checkMiddlewareName(name, root);
  const text = description ?? `TSGI middleware: ${name.replaceAll('-', ' ')}.`;
  const values = {
    name,
    packageName: names.packageName,
    camelName: names.camelName,
    PascalName: names.pascalName,
    description: text,
    order: String(nextPackageOrder(root)),
  };
  const written = renderTemplates(TEMPLATES, root, values, (file) => {
    if (file === 'changeset.md') return `.changeset/middleware-${name}-initial.md`;
    if (file === 'docs-page.md') return `docs/packages/middleware-${name}.md`;
    if (file === 'src/middleware.ts') return `${names.dir}/src/${name}.ts`;
    if (file === 'test/middleware.test.ts') return `${names.dir}/test/${name}.test.ts`;
    return `${names.dir}/${file}`;
  });
  const manifest = `${names.dir}/package.json`;
  writeFileSync(join(root, manifest), middlewarePackageJson(root, names, text), { flag: 'wx' });
  written.push(manifest);
  const changed = [addToDocsPackage(root, names.packageName)].filter((path) => path !== undefined);
  return { ...names, files: written.sort(), changed };
}
