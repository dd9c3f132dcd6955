import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './site.ts';

// READMEs are front doors: what a package is, install, one example, a short
// table and links into the site. The reference lives on the site.

/** The largest README allowed, in bytes. */
const LIMIT = 10 * 1024;

/** The root README and every package's, app's and tool's. */
function readmes(): string[] {
  const found = ['README.md'];
  for (const group of ['packages', 'apps', 'tools']) {
    for (const name of readdirSync(join(REPO, group)).sort()) {
      const path = `${group}/${name}/README.md`;
      if (existsSync(join(REPO, path))) found.push(path);
    }
  }
  return found;
}

describe('READMEs', () => {
  it(`are at most ${LIMIT} bytes each`, () => {
    const all = readmes();
    expect(all.length).toBeGreaterThan(1);
    const tooLong = all
      .map((path) => ({ path, size: statSync(join(REPO, path)).size }))
      .filter(({ size }) => size > LIMIT)
      .map(({ path, size }) => `${path}: ${size} bytes`);
    expect(tooLong, `longer than ${LIMIT} bytes:\n${tooLong.join('\n')}`).toEqual([]);
  });
});
