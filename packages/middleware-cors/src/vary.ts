import type { HeaderList } from '@tsgi/spec';

/**
 * Adds each of `tokens` (e.g. `['Origin']`) to the `Vary` header of `headers`,
 * in place: into the app's first `Vary` line when there is one, else as a new
 * line. Names already listed (in any case) are not repeated, and `Vary: *`
 * is left alone, since it already covers everything.
 */
export function mergeVary(headers: HeaderList, tokens: readonly string[]): void {
  let at = -1;
  const listed = new Set<string>();
  for (let i = 0; i < headers.length; i++) {
    const [name, value] = headers[i]!;
    if (name.length !== 4 || name.toLowerCase() !== 'vary') continue;
    if (at === -1) at = i;
    for (const part of value.split(',')) {
      const token = part.trim().toLowerCase();
      if (token === '*') return;
      if (token !== '') listed.add(token);
    }
  }
  let missing = '';
  for (const token of tokens) {
    if (!listed.has(token.toLowerCase())) missing = missing === '' ? token : `${missing}, ${token}`;
  }
  if (missing === '') return;
  if (at === -1) {
    headers.push(['Vary', missing]);
  } else {
    const [name, value] = headers[at]!;
    headers[at] = [name, value.trim() === '' ? missing : `${value}, ${missing}`];
  }
}
