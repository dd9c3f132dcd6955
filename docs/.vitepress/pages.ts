/**
 * The site's pages as the sidebar and the nav see them: every Markdown file
 * under `docs/` (the hand-written folders and the generated pages), with the
 * `title` and `order` of its front matter. Adding a page needs no config edit.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One page: its path under `docs/` without `.md`, and its front matter. */
export interface Page {
  /** `guide/tutorial`, `packages/node/index`. */
  readonly path: string;
  readonly title: string;
  readonly order: number;
}

/** A folder of pages, and the folders inside it (`packages/node/`). */
export interface Folder {
  readonly name: string;
  readonly title: string;
  readonly order: number;
  readonly pages: Page[];
  readonly folders: Folder[];
}

/** Folders under `docs/` that hold no pages. */
export const NOT_PAGES = new Set([
  '.vitepress',
  'node_modules',
  'scripts',
  'test',
  'dist',
  'public',
]);

/** Files under `docs/` that are not pages. */
export const NOT_PAGE_FILES = new Set(['README.md']);

/** The top-level folders' titles and places in the sidebar; another folder comes after them. */
export const SECTIONS: Readonly<Record<string, { title: string; order: number }>> = {
  guide: { title: 'Guide', order: 1 },
  protocol: { title: 'Protocol', order: 2 },
  packages: { title: 'Packages', order: 3 },
  reference: { title: 'Reference', order: 4 },
  deploy: { title: 'Deployment', order: 5 },
  operations: { title: 'Operations', order: 6 },
  contributing: { title: 'Contributing', order: 7 },
};

/** Pages without an `order` come after those with one. */
const UNORDERED = 1000;

/**
 * The `title` and `order` of a page's front matter (`---` lines at the top,
 * `key: value` scalars); the file name stands in for a missing title.
 */
export function frontMatter(text: string, fallback: string): { title: string; order: number } {
  const block = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? '';
  const fields = new Map<string, string>();
  for (const line of block.split(/\r?\n/)) {
    const match = /^([A-Za-z]+):\s*(.*?)\s*$/.exec(line);
    if (match) fields.set(match[1]!, match[2]!.replace(/^(['"])(.*)\1$/, '$2'));
  }
  const order = Number(fields.get('order'));
  return {
    title: fields.get('title') || fallback,
    order: Number.isFinite(order) ? order : UNORDERED,
  };
}

/** Sorts by `order`, then by title. */
function byPlace(a: { order: number; title: string }, b: { order: number; title: string }): number {
  return a.order - b.order || a.title.localeCompare(b.title);
}

/** Reads one folder (`dir` is absolute, `root` is `docs/`). */
export function readFolder(root: string, dir: string, name: string): Folder {
  const pages: Page[] = [];
  const folders: Folder[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith('.') || NOT_PAGES.has(entry)) continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) {
      const folder = readFolder(root, full, entry);
      if (folder.pages.length > 0 || folder.folders.length > 0) folders.push(folder);
    } else if (entry.endsWith('.md') && !NOT_PAGE_FILES.has(entry)) {
      const path = relative(root, full).replaceAll('\\', '/').replace(/\.md$/, '');
      pages.push({ path, ...frontMatter(readFileSync(full, 'utf8'), entry.replace(/\.md$/, '')) });
    }
  }
  pages.sort(byPlace);
  const index = existsSync(join(dir, 'index.md'))
    ? frontMatter(readFileSync(join(dir, 'index.md'), 'utf8'), name)
    : undefined;
  const section = relative(root, dir).includes('/') ? undefined : SECTIONS[name];
  const title = section?.title ?? index?.title ?? name[0]!.toUpperCase() + name.slice(1);
  const order = section?.order ?? index?.order ?? UNORDERED;
  folders.sort(byPlace);
  return { name, title, order, pages, folders };
}
