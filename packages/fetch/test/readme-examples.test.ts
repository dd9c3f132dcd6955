// The README and the package's page on the site (docs/packages/fetch.md) show the files of
// examples/ (which examples.test.ts runs on their runtimes) as they are. Each is shown as a ```ts
// block right after a marker naming it, with at most the site's `<!-- no-check -->` between:
//
//   <!-- example: examples/bun.ts -->
//   <!-- no-check -->
//   ```ts
//   …the file, byte for byte…
//   ```
import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const PACKAGE = new URL('../', import.meta.url);
const PAGES = {
  'README.md': readFileSync(new URL('README.md', PACKAGE), 'utf8'),
  'docs/packages/fetch.md': readFileSync(new URL('../../docs/packages/fetch.md', PACKAGE), 'utf8'),
};

/** Every marker of every page, and the code block after it (`undefined` when none follows). */
function shownExamples(): Map<string, string | undefined> {
  const shown = new Map<string, string | undefined>();
  for (const [page, text] of Object.entries(PAGES)) {
    for (const marker of text.matchAll(/<!-- example: (\S+) -->\n/g)) {
      const rest = text.slice(marker.index + marker[0].length);
      const code = /^(?:<!-- no-check -->\n)?```ts\n([\s\S]*?\n)```\n/.exec(rest)?.[1];
      shown.set(`${marker[1]!} (${page})`, code);
    }
  }
  return shown;
}

/** The example file a key of `shownExamples()` names. */
const fileOf = (key: string) => key.slice(0, key.indexOf(' '));

it('shows every file of examples/, each as it is', () => {
  const files = readdirSync(new URL('examples/', PACKAGE))
    .filter((name) => name.endsWith('.ts'))
    .map((name) => `examples/${name}`)
    .sort();
  const shown = shownExamples();
  expect([...new Set([...shown.keys()].map(fileOf))].sort()).toEqual(files);
  for (const [key, code] of shown) {
    expect(code, `the \`\`\`ts block after <!-- example: ${key} -->`).toBe(
      readFileSync(new URL(fileOf(key), PACKAGE), 'utf8'),
    );
  }
});
