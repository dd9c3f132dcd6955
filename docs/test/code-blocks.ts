/**
 * The ```ts blocks of the site's Markdown pages, as the type-check test sees
 * them: a block is skipped when the nearest non-blank line above its fence is
 * `<!-- no-check -->`.
 */

/** One ```ts block: the page it is on, its place among the page's blocks, its code. */
export interface CodeBlock {
  readonly page: string;
  /** 1 for the page's first ```ts block (skipped ones count too). */
  readonly index: number;
  /** The line of the page the code starts on (after the fence). */
  readonly line: number;
  readonly code: string;
  readonly checked: boolean;
}

const OPEN = /^(\s*)(`{3,}|~{3,})\s*(ts|typescript)\b/;
const ANY_OPEN = /^\s*(`{3,}|~{3,})/;

/** The ```ts blocks of one page. */
export function tsBlocks(page: string, text: string): CodeBlock[] {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  let index = 0;
  for (let at = 0; at < lines.length; at++) {
    const line = lines[at]!;
    const fence = ANY_OPEN.exec(line);
    if (fence === null) continue;
    const ts = OPEN.exec(line);
    const marker = fence[1]!;
    const indent = ts?.[1]?.length ?? 0;
    let end = at + 1;
    while (end < lines.length) {
      const close = ANY_OPEN.exec(lines[end]!)?.[1];
      if (close !== undefined && close[0] === marker[0] && close.length >= marker.length) break;
      end++;
    }
    if (ts !== null) {
      let above = at - 1;
      while (above >= 0 && lines[above]!.trim() === '') above--;
      const checked = above < 0 || lines[above]!.trim() !== '<!-- no-check -->';
      const code = lines
        .slice(at + 1, end)
        .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
        .join('\n');
      blocks.push({ page, index: ++index, line: at + 2, code, checked });
    }
    at = end;
  }
  return blocks;
}
