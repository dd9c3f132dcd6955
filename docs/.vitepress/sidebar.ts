/**
 * The sidebar and the nav, made from the page folders (`pages.ts`): a group
 * per folder, its pages in `order`, then title; a folder inside a folder is a
 * collapsible group; pages at the top (the benchmarks) come last, and the home
 * page is the site title's link.
 */
import type { DefaultTheme } from 'vitepress';
import { type Folder, type Page, readFolder } from './pages.ts';

/** The link of a page: `/guide/tutorial`, `/packages/node/` for an index. */
function link(page: Page): string {
  return `/${page.path.replace(/(^|\/)index$/, '$1')}`;
}

/**
 * The items of a folder: its pages and its folders (as groups, placed by the
 * `order` of their `index.md`), sorted by order, then title.
 */
function items(folder: Folder): DefaultTheme.SidebarItem[] {
  const entries = [
    ...folder.pages.map((page) => ({ ...page, item: { text: page.title, link: link(page) } })),
    ...folder.folders.map((inner) => ({
      ...inner,
      item: { text: inner.title, collapsed: true, items: items(inner) },
    })),
  ];
  entries.sort((a, b) => a.order - b.order || a.title.localeCompare(b.title));
  return entries.map((entry) => entry.item);
}

/** The first page of a folder, looking into its folders when it has no page itself. */
function firstPage(folder: Folder): Page | undefined {
  return folder.pages[0] ?? folder.folders.map(firstPage).find((page) => page !== undefined);
}

/** The sidebar and the nav for the pages under `root` (the `docs/` folder). */
export function navigation(root: string): {
  sidebar: DefaultTheme.SidebarItem[];
  nav: DefaultTheme.NavItem[];
} {
  const top = readFolder(root, root, '');
  const loose = top.pages.filter((page) => page.path !== 'index');
  const sidebar: DefaultTheme.SidebarItem[] = [
    ...top.folders.map((folder) => ({
      text: folder.title,
      collapsed: false,
      items: items(folder),
    })),
    ...loose.map((page) => ({ text: page.title, link: link(page) })),
  ];
  const nav: DefaultTheme.NavItem[] = [];
  for (const folder of top.folders) {
    const first = firstPage(folder);
    if (first)
      nav.push({ text: folder.title, link: link(first), activeMatch: `^/${folder.name}/` });
  }
  for (const page of loose) nav.push({ text: page.title, link: link(page) });
  return { sidebar, nav };
}
