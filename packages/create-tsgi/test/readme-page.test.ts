// The site's page on the scaffolder (docs/packages/create-tsgi.md) carries the README's text
// from its first command on, so the two say the same; only lines holding links may differ
// (a README links to repository files, a page to other pages).
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const PACKAGE = new URL('../', import.meta.url);

/** The lines from the first ```sh block on, without blank ones and those holding a Markdown link. */
function shared(text: string): string[] {
  return text
    .slice(text.indexOf('```sh'))
    .split('\n')
    .filter((line) => line.trim() !== '' && !/\]\(/.test(line));
}

it('has the README on its page', () => {
  const readme = readFileSync(new URL('README.md', PACKAGE), 'utf8');
  const page = readFileSync(new URL('../../docs/packages/create-tsgi.md', PACKAGE), 'utf8');
  expect(shared(page)).toEqual(shared(readme));
});
