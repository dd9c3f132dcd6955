/**
 * Writes the site's generated pages before each build and dev run (they are
 * git-ignored; never edit them): the protocol from SPEC.md, the CLI reference
 * from the flag table, the benchmarks from RESULTS.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchmarksPage } from './benchmarks-page.ts';
import { cliPage } from './cli-page.ts';
import { specPage } from './spec-page.ts';

const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** Each generated page: where it goes and how it is made. */
const PAGES: ReadonlyArray<readonly [string, () => string]> = [
  ['docs/protocol/spec.md', () => specPage(readFileSync(repo('packages/spec/SPEC.md'), 'utf8'))],
  ['docs/reference/cli.md', () => cliPage()],
  ['docs/benchmarks.md', () => benchmarksPage(readFileSync(repo('bench/RESULTS.md'), 'utf8'))],
];

for (const [path, make] of PAGES) {
  const target = repo(path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, make());
  console.log(`generated ${path}`);
}
