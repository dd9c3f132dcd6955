import { type EnvironKeyInfo, environKeys } from '@tsgi/spec';

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

/** The Key, Type and Meaning cells of one key, as plain text (no Markdown backticks). */
function cells(info: EnvironKeyInfo): string[] {
  const type = info.optional ? `${info.type}, optional` : info.type;
  return [info.key, type, info.meaning.replaceAll('`', '')];
}

/**
 * The environ reference table, rendered from `environKeys` of `@tsgi/spec`
 * (the data SPEC.md's table is generated from), as aligned plain text with
 * the Key, Type and Meaning columns, the way the tutorial's `--mode environ`
 * prints PEP 3333's keys.
 */
export function environTable(keys: readonly EnvironKeyInfo[] = environKeys): string {
  if (keys.length === 0) throw new Error('the environ table is empty');
  const shown = [['Key', 'Type', 'Meaning'], ...keys.map(cells)];
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
