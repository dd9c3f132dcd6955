import type { HeaderList } from './application.js';

/**
 * Adds `token` (or several) to the comma-separated list header `name` of
 * `headers`, in place: into the first field of that name when there is one,
 * else as a new field. A token already listed (in any case) is not repeated,
 * and a list holding `*` (as `Vary: *`) is left alone: it covers everything.
 * Items are compared by their name, the part before any `;`: a list holding
 * `app;dur=9` already has `app;dur=1` (as `Server-Timing` wants).
 * The changed field is replaced by a new `[name, value]` pair, never written
 * into, since the same pair may sit in another list.
 *
 * Used for `Vary`, `Server-Timing`, `Access-Control-Expose-Headers` and alike.
 *
 * @example
 * const headers: HeaderList = [['Vary', 'Accept']];
 * appendToken(headers, 'Vary', 'Origin'); // [['Vary', 'Accept, Origin']]
 */
export function appendToken(
  headers: HeaderList,
  name: string,
  token: string | readonly string[],
): void {
  const lower = name.toLowerCase();
  let at = -1;
  const listed = new Set<string>();
  for (let i = 0; i < headers.length; i++) {
    const field = headers[i]!;
    if (field[0].length !== lower.length || field[0].toLowerCase() !== lower) continue;
    if (at === -1) at = i;
    for (const part of field[1].split(',')) {
      const item = itemName(part);
      if (item === '*') return;
      if (item !== '') listed.add(item);
    }
  }
  let missing = '';
  for (const item of typeof token === 'string' ? [token] : token) {
    const key = itemName(item);
    if (listed.has(key)) continue;
    listed.add(key);
    missing = missing === '' ? item : `${missing}, ${item}`;
  }
  if (missing === '') return;
  if (at === -1) {
    headers.push([name, missing]);
    return;
  }
  const [fieldName, value] = headers[at]!;
  headers[at] = [fieldName, value.trim() === '' ? missing : `${value}, ${missing}`];
}

/** A list item's name, the part before any `;` parameters, trimmed and lower-cased. */
function itemName(item: string): string {
  const semicolon = item.indexOf(';');
  return (semicolon === -1 ? item : item.slice(0, semicolon)).trim().toLowerCase();
}
