/**
 * The anchors a Markdown file's headings get, as GitHub renders a repository
 * file and as VitePress renders a page of the site.
 */
import { mapLines } from '../scripts/markdown.ts';

/** How a Markdown file is rendered: by GitHub (a repository file) or by VitePress (a site page). */
export type Renderer = 'github' | 'vitepress';

/** An ATX heading: one to six `#`, a space, its text, maybe closing `#`s. */
const HEADING = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;

/** An explicit id at the end of a heading (`## Raw sockets {#raw}`), which VitePress uses. */
const EXPLICIT_ID = /\s*\{#([^}\s]+)\}\s*$/;

/** An HTML element with an `id` or `name`, which both renderers keep as an anchor. */
const HTML_ANCHOR = /<[a-zA-Z][^>]*?\s(?:id|name)="([^"]+)"/g;

/** The text a reader sees in a heading's Markdown: code, link and image text kept, markup gone. */
export function headingText(markdown: string): string {
  const codes: string[] = [];
  const withoutCode = markdown.replace(/(`+)([\s\S]*?)\1/g, (_, __, code: string) => {
    codes.push(code.trim());
    return `\u0000${codes.length - 1}\u0000`;
  });
  const plain = withoutCode
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/!?\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/(\*{1,3}|(?<![\p{L}\p{N}])_{1,3})(\S(?:.*?\S)?)\1(?![\p{L}\p{N}])/gu, '$2')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replaceAll('&amp;', '&')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"');
  return plain.replace(/\u0000(\d+)\u0000/g, (_, index: string) => codes[Number(index)]!);
}

/**
 * GitHub's anchor for a heading: lower case, punctuation removed except `-`
 * and `_`, each space a `-`.
 */
export function githubSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replaceAll(' ', '-');
}

/** VitePress's characters that become a `-` in an anchor (whitespace and ASCII punctuation). */
const VITEPRESS_SEPARATORS = /[\s~`!@#$%^&*()\-_+=[\]{}|\\;:"'“”‘’<>,.?/]+/g;

/**
 * VitePress's anchor for a heading: accents dropped, each run of spaces and
 * punctuation one `-`, none at the ends, `_` before a leading digit, lower case.
 */
export function vitepressSlug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u0000-\u001f]/g, '')
    .replace(VITEPRESS_SEPARATORS, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^(\d)/, '_$1')
    .toLowerCase();
}

/** A Markdown text without the front matter block a site page opens with. */
function withoutFrontMatter(text: string): string {
  return text.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, '');
}

/**
 * Every anchor a Markdown text offers when `renderer` renders it: one per
 * heading (a repeated slug gets `-1`, `-2`, … as both renderers do), an
 * explicit `{#id}` on a site page, and the `id`/`name` of HTML elements.
 */
export function anchorsOf(text: string, renderer: Renderer): Set<string> {
  const anchors = new Set<string>();
  const add = (slug: string): void => {
    let unique = slug;
    for (let n = 1; anchors.has(unique); n++) unique = `${slug}-${n}`;
    anchors.add(unique);
  };
  mapLines(withoutFrontMatter(text), (line) => {
    for (const match of line.matchAll(HTML_ANCHOR)) anchors.add(match[1]!);
    const heading = HEADING.exec(line)?.[1];
    if (heading === undefined) return line;
    const explicit = renderer === 'vitepress' ? EXPLICIT_ID.exec(heading) : null;
    if (explicit !== null) {
      anchors.add(explicit[1]!);
      return line;
    }
    const text = headingText(heading);
    add(renderer === 'github' ? githubSlug(text) : vitepressSlug(text));
    return line;
  });
  return anchors;
}
