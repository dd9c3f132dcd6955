/**
 * The relative links of the repository's Markdown files that GitHub renders
 * (READMEs, CONTRIBUTING.md) and of the site's pages where they leave the
 * site for a repository file, and what each must resolve to.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { NOT_PAGE_FILES, NOT_PAGES } from '../.vitepress/pages.ts';
import { mapLines, outsideCodeSpans } from '../scripts/markdown.ts';
import { anchorsOf, type Renderer } from './headings.ts';
import { REPO } from './paths.ts';

/** One link: the file it is in (from the repository root), its line, and its target as written. */
export interface Link {
  readonly file: string;
  readonly line: number;
  readonly target: string;
}

/** `[text](target)` and `![alt](target "title")`, the target maybe in `<…>`. */
const INLINE = /\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;
/** A reference definition: `[name]: target`. */
const DEFINITION = /^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/;
/** `href` and `src` of HTML elements written in the Markdown. */
const HTML_LINK = /<[a-zA-Z][^>]*?\s(?:href|src)="([^"]*)"/g;

/** The links of a Markdown text, outside code fences and code spans. */
export function linksIn(file: string, text: string): Link[] {
  const links: Link[] = [];
  let line = 0;
  mapLines(
    text,
    (prose) => {
      line++;
      outsideCodeSpans(prose, (part) => {
        const found = [
          ...[...part.matchAll(INLINE)].map((match) => match[1]!),
          ...[...part.matchAll(HTML_LINK)].map((match) => match[1]!),
        ];
        const definition = DEFINITION.exec(part)?.[1];
        if (definition !== undefined) found.push(definition);
        for (const target of found) {
          links.push({ file, line, target: target.replace(/^<|>$/g, '') });
        }
        return part;
      });
      return prose;
    },
    (code) => {
      line++;
      return code;
    },
  );
  return links;
}

/** A link that leaves the file for the web or mail, not for another file. */
export function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:|^\/\//i.test(target);
}

/** The files GitHub shows: tracked, or new and not ignored (generated pages are ignored). */
export function repositoryFiles(): Set<string> {
  const out = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    {
      cwd: REPO,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return new Set(out.split('\0').filter((path) => path !== '' && existsSync(join(REPO, path))));
}

/** The READMEs and CONTRIBUTING.md files GitHub renders; templates (links resolve once copied) excluded. */
export function frontDoors(files: ReadonlySet<string>): string[] {
  return [...files]
    .filter((path) => /(^|\/)(README|CONTRIBUTING)\.md$/.test(path))
    .filter((path) => !path.split('/').includes('templates') && !path.startsWith('.changeset/'))
    .sort();
}

/** Whether a path from the repository root is a page of the site (`docs/deploy/nginx.md`). */
export function isSitePage(path: string): boolean {
  const parts = path.split('/');
  if (parts[0] !== 'docs' || parts.length < 2) return false;
  if (NOT_PAGES.has(parts[1]!) || NOT_PAGE_FILES.has(parts.slice(1).join('/'))) return false;
  return path.endsWith('.md') || path.endsWith('.html') || !posix.basename(path).includes('.');
}

/** The site's hand-written pages, from the repository root. */
export function sitePages(files: ReadonlySet<string>): string[] {
  return [...files].filter((path) => path.endsWith('.md') && isSitePage(path)).sort();
}

/** Where a link goes: the path from the repository root (the file itself for `#anchor`) and the anchor. */
export function resolve(link: Link): { path: string; anchor: string } {
  const hash = link.target.indexOf('#');
  const pathPart = hash === -1 ? link.target : link.target.slice(0, hash);
  const anchor = hash === -1 ? '' : decodeURIComponent(link.target.slice(hash + 1));
  const bare = decodeURIComponent(pathPart.split('?')[0]!);
  if (bare === '') return { path: link.file, anchor };
  const from = bare.startsWith('/') ? '' : posix.dirname(link.file);
  const path = posix.normalize(posix.join(from, bare)).replace(/\/$/, '');
  return { path: path === '.' ? '' : path, anchor };
}

/**
 * What is wrong with a link, or undefined when it resolves: the target must be
 * a file or folder GitHub shows, and an anchor into a Markdown file must be one
 * of its headings' (GitHub's slugs for a repository file, VitePress's or an
 * explicit `{#id}` for a site page).
 */
export function problemWith(link: Link, files: ReadonlySet<string>): string | undefined {
  const { path, anchor } = resolve(link);
  if (path.startsWith('..')) return `${path} is outside the repository`;
  const isFile = files.has(path);
  const isFolder = path === '' || [...files].some((file) => file.startsWith(`${path}/`));
  if (!isFile && !isFolder) {
    return existsSync(join(REPO, path))
      ? `${path} is ignored by git (a generated or built file): GitHub does not show it`
      : `no file ${path}`;
  }
  // GitHub shows a folder's README under the folder's listing, anchors included.
  const shown = isFile ? path : `${path === '' ? '' : `${path}/`}README.md`;
  if (anchor === '' || !files.has(shown) || !shown.endsWith('.md')) return undefined;
  const renderer: Renderer = isSitePage(shown) ? 'vitepress' : 'github';
  const anchors = anchorsOf(readFileSync(join(REPO, shown), 'utf8'), renderer);
  return anchors.has(anchor)
    ? undefined
    : `no heading #${anchor} in ${shown} (${renderer} anchors)`;
}
