/**
 * What the docs tests read of the built site (`docs/dist`) and its sources:
 * the HTML pages, the ids and links in each, and the Markdown pages.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { inject } from 'vitest';
import { NOT_PAGE_FILES, NOT_PAGES } from '../.vitepress/pages.ts';
import { DOCS } from './paths.ts';

export { DOCS, REPO } from './paths.ts';

/** The site built for this run by the global setup (`build-site.ts`). */
export const DIST = inject('site');

/** Every file under `dir` whose name ends with `ext`, as paths relative to `dir`, sorted. */
export function filesUnder(
  dir: string,
  ext: string,
  skip: ReadonlySet<string> = new Set(),
): string[] {
  const out: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder).sort()) {
      if (skip.has(entry) || entry.startsWith('.')) continue;
      const full = join(folder, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith(ext)) out.push(relative(dir, full).replaceAll('\\', '/'));
    }
  };
  walk(dir);
  return out;
}

/** The Markdown pages of the site (hand-written and generated), relative to `docs/`. */
export function markdownPages(): string[] {
  return filesUnder(DOCS, '.md', NOT_PAGES).filter((path) => !NOT_PAGE_FILES.has(path));
}

/** The HTML pages of the built site, relative to `docs/dist`. */
export function htmlPages(): string[] {
  return filesUnder(DIST, '.html');
}

/** The HTML text of a built page. */
export function readPage(path: string): string {
  return readFileSync(join(DIST, path), 'utf8');
}

/** Undoes the character references VitePress writes in attribute values. */
function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) =>
      String.fromCodePoint(Number.parseInt(code, 16)),
    )
    .replaceAll('&quot;', '"')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

/** The values of one attribute on every element of an HTML text (`id`, `href`). */
export function attributeValues(html: string, name: string): string[] {
  const pattern = new RegExp(`<[a-zA-Z][^>]*?\\s${name}="([^"]*)"`, 'g');
  return [...html.matchAll(pattern)].map((match) => decodeEntities(match[1]!));
}
