// The README shows the files of examples/ (which examples.test.ts runs on their runtimes) as they
// are. Each is shown as a ```ts block on the line right after a marker naming it:
//
//   <!-- example: examples/bun.ts -->
//   ```ts
//   …the file, byte for byte…
//   ```
import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const PACKAGE = new URL('../', import.meta.url);
const README = readFileSync(new URL('README.md', PACKAGE), 'utf8');

/** Every marker, and the code block after it (`undefined` when none follows at once). */
function shownExamples(): Map<string, string | undefined> {
  const shown = new Map<string, string | undefined>();
  for (const marker of README.matchAll(/<!-- example: (\S+) -->\n/g)) {
    const rest = README.slice(marker.index + marker[0].length);
    shown.set(marker[1]!, /^```ts\n([\s\S]*?\n)```\n/.exec(rest)?.[1]);
  }
  return shown;
}

it('shows every file of examples/, each as it is', () => {
  const files = readdirSync(new URL('examples/', PACKAGE))
    .filter((name) => name.endsWith('.ts'))
    .map((name) => `examples/${name}`)
    .sort();
  const shown = shownExamples();
  expect([...shown.keys()].sort()).toEqual(files);
  for (const [path, code] of shown) {
    expect(code, `the \`\`\`ts block after <!-- example: ${path} -->`).toBe(
      readFileSync(new URL(path, PACKAGE), 'utf8'),
    );
  }
});
