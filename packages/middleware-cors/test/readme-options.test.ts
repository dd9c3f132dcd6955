// The README's short options table and the full one on the package's page of the site
// (docs/packages/middleware-cors.md) name the same options with the same defaults.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const PACKAGE = new URL('../', import.meta.url);

/** option → default, from the first table of `text` whose header starts with `| option`. */
function optionDefaults(text: string): Map<string, string> {
  const lines = text.split('\n');
  let at = lines.findIndex((line) => /^\| option\s*\| default/.test(line)) + 2;
  const rows = new Map<string, string>();
  for (; at > 1 && lines[at]?.startsWith('|'); at++) {
    const [option, fallback] = lines[at]!.split('|')
      .slice(1, 3)
      .map((cell) => cell.trim());
    rows.set(option!, fallback!);
  }
  return rows;
}

it('shows the options of the page, with their defaults', () => {
  const readme = optionDefaults(readFileSync(new URL('README.md', PACKAGE), 'utf8'));
  const page = optionDefaults(
    readFileSync(new URL('../../docs/packages/middleware-cors.md', PACKAGE), 'utf8'),
  );
  expect(readme.size).toBeGreaterThan(0);
  expect(readme).toEqual(page);
});
