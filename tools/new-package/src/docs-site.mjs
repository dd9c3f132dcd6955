import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The site's folder of package pages, relative to the workspace root. */
const PACKAGE_PAGES = 'docs/packages';

/** The `order:` of a page's front matter, or undefined when it has none. */
function orderOf(text) {
  const block = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? '';
  const value = /^order:\s*(\d+(?:\.\d+)?)\s*$/m.exec(block)?.[1];
  return value === undefined ? undefined : Number(value);
}

/**
 * The `order:` for a new package page: one after the highest of `docs/packages/`
 * (its pages and the `index.md` of its folders), so the page comes last in the
 * sidebar's Packages section until someone moves it.
 *
 * @example
 * nextPackageOrder(root); // 11 when create-tsgi.md has order: 10
 */
export function nextPackageOrder(root) {
  const dir = join(root, PACKAGE_PAGES);
  if (!existsSync(dir)) return 1;
  let highest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const page = entry.isDirectory()
      ? join(dir, entry.name, 'index.md')
      : entry.name.endsWith('.md')
        ? join(dir, entry.name)
        : undefined;
    if (page === undefined || !existsSync(page)) continue;
    highest = Math.max(highest, orderOf(readFileSync(page, 'utf8')) ?? 0);
  }
  return highest + 1;
}

/**
 * Adds `packageName` to the devDependencies of the docs package
 * (`docs/package.json`, keys kept sorted), so the ```ts examples of its page
 * resolve when the docs tests type-check them. Returns the path changed,
 * relative to `root`, or undefined when the workspace has no docs package.
 *
 * @example
 * addToDocsPackage(root, '@tsgi/middleware-rate-limit'); // 'docs/package.json'
 */
export function addToDocsPackage(root, packageName) {
  const path = 'docs/package.json';
  const file = join(root, path);
  if (!existsSync(file)) return undefined;
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  const deps = { ...manifest.devDependencies, [packageName]: 'workspace:*' };
  manifest.devDependencies = Object.fromEntries(
    Object.entries(deps).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return path;
}
