import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const START = '<!-- environ-table:start -->';
const END = '<!-- environ-table:end -->';

/** The path of SPEC.md in the installed @tsgi/spec package. */
export function specPath(): string {
  const pkg = createRequire(import.meta.url).resolve('@tsgi/spec/package.json');
  return join(dirname(pkg), 'SPEC.md');
}

/** Splits a Markdown table row on `|`, keeping escaped `\|`, and drops the backticks. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replaceAll('\\|', '|').replaceAll('`', ''));
}

/** Display width: CJK and other wide characters take two columns. */
function width(text: string): number {
  let columns = 0;
  for (const char of text)
    columns +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
        char,
      )
        ? 2
        : 1;
  return columns;
}

/** Widest the Type and Meaning columns get before their text wraps. */
const TYPE_WIDTH = 26;
const MEANING_WIDTH = 64;

/** Word-wraps `text` into lines of at most `columns` (a longer word stays whole). */
function wrap(text: string, columns: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current !== '' && width(current) + 1 + width(word) > columns) {
      lines.push(current);
      current = word;
    } else {
      current = current === '' ? word : `${current} ${word}`;
    }
  }
  if (current !== '' || lines.length === 0) lines.push(current);
  return lines;
}

const pad = (text: string, columns: number) =>
  text + ' '.repeat(Math.max(0, columns - width(text)));

/**
 * The environ reference table from SPEC.md (between the `environ-table`
 * markers), as aligned plain text with the Key, Type and Meaning columns, the
 * way the tutorial's `--mode environ` prints PEP 3333's keys.
 */
export function environTable(markdown: string = readFileSync(specPath(), 'utf8')): string {
  const start = markdown.indexOf(START);
  const end = markdown.indexOf(END);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`SPEC.md has no ${START} … ${END} section`);
  }
  const rows = markdown
    .slice(start + START.length, end)
    .split('\n')
    .filter((line) => line.trim().startsWith('|'))
    .map(cells)
    .filter((row) => !row.every((cell) => /^:?-+:?$/.test(cell)));
  const [header, ...body] = rows;
  if (header === undefined || body.length === 0)
    throw new Error('the environ table in SPEC.md is empty');
  const shown = [header, ...body].map((row) => row.slice(0, 3));
  const keyWidth = Math.max(...shown.map((row) => width(row[0] ?? '')));
  const typeWidth = Math.min(TYPE_WIDTH, Math.max(...shown.map((row) => width(row[1] ?? ''))));
  const line = (row: string[]) => {
    const types = wrap(row[1] ?? '', typeWidth);
    const meanings = wrap(row[2] ?? '', MEANING_WIDTH);
    const lines: string[] = [];
    for (let i = 0; i < Math.max(types.length, meanings.length); i++) {
      const key = i === 0 ? (row[0] ?? '') : '';
      lines.push(
        `  ${pad(key, keyWidth + 2)}${pad(types[i] ?? '', typeWidth + 2)}${meanings[i] ?? ''}`.trimEnd(),
      );
    }
    return lines.join('\n');
  };
  const rule = '─'.repeat(2 + keyWidth + 2 + typeWidth + 2 + MEANING_WIDTH);
  return [
    '=== TSGI environ (SPEC.md, TSGI 1.0) ===',
    rule,
    line(shown[0]!),
    rule,
    ...shown.slice(1).map(line),
    rule,
    '',
  ].join('\n');
}
