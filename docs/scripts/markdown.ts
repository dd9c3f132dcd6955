/**
 * Small line-level helpers the page generators share: walking Markdown
 * outside code fences and code spans, and turning links to repository files
 * (which are not pages of the site) into code spans.
 */
import { posix } from 'node:path';

/** A fence opener or closer: three or more backticks or tildes, maybe indented. */
const FENCE = /^\s*(`{3,}|~{3,})/;

/**
 * Calls `prose(line)` for every line outside a code fence and `code(line)` for
 * the fence lines and those inside; returns the lines they give back.
 */
export function mapLines(
  text: string,
  prose: (line: string) => string | string[],
  code: (line: string, opening: boolean) => string | string[] = (line) => line,
): string {
  const out: string[] = [];
  let open: string | undefined;
  for (const line of text.split('\n')) {
    const fence = FENCE.exec(line)?.[1];
    if (open === undefined && fence !== undefined) {
      open = fence;
      out.push(...[code(line, true)].flat());
    } else if (open !== undefined) {
      if (fence !== undefined && fence[0] === open[0] && fence.length >= open.length)
        open = undefined;
      out.push(...[code(line, false)].flat());
    } else {
      out.push(...[prose(line)].flat());
    }
  }
  return out.join('\n');
}

/** Applies `change` to the parts of a prose line outside inline code spans. */
export function outsideCodeSpans(line: string, change: (text: string) => string): string {
  return line
    .split(/(`+[^`]*`+)/)
    .map((part, index) => (index % 2 === 0 ? change(part) : part))
    .join('');
}

/**
 * Rewrites Markdown links to relative paths (`[text](README.md)`) in a file at
 * `fromDir` (a folder relative to the repository root) as code spans naming the
 * file from the repository root: the site has no page for such files.
 * Absolute URLs and in-page anchors are kept.
 */
export function repoLinksToCode(line: string, fromDir: string): string {
  return outsideCodeSpans(line, (text) =>
    text.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, label: string, target: string) => {
      if (/^[a-z]+:|^#/i.test(target)) return whole;
      const path = posix.normalize(posix.join(fromDir, target.split('#')[0] ?? ''));
      const bare = label.replaceAll('`', '');
      return bare === path || bare === posix.basename(path)
        ? `\`${path}\``
        : `${label} (\`${path}\`)`;
    }),
  );
}

/** The front matter block that opens a generated page, with a note on its source. */
export function generatedHeader(title: string, order: number, source: string): string {
  return [
    '---',
    `title: ${JSON.stringify(title)}`,
    `order: ${order}`,
    '---',
    '',
    `<!-- Generated from ${source} by docs/scripts/generate.ts: edit that file, not this one. -->`,
    '',
  ].join('\n');
}

/** A `<` that opens neither a comment nor an HTML tag a source file may use on purpose. */
const STRAY_ANGLE = /<(?!!--|\/?(?:a|br|span|sup|sub|kbd|details|summary|div)\b)/g;

/**
 * Escapes prose (outside code spans) that Vue would read as a template: a
 * `<` that opens no known tag (`/proc/<pid>/status`) and `{{`.
 */
export function escapeForVue(line: string): string {
  return outsideCodeSpans(line, (text) =>
    text.replace(STRAY_ANGLE, '&lt;').replaceAll('{{', '&#123;&#123;'),
  );
}
