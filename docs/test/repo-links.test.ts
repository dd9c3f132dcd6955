import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchorsOf } from './headings.ts';
import {
  frontDoors,
  isExternal,
  isSitePage,
  type Link,
  linksIn,
  problemWith,
  repositoryFiles,
  resolve,
  sitePages,
} from './repo-links.ts';
import { attributeValues, REPO, readPage } from './site.ts';

// The built-site test checks links between pages. These check the links
// GitHub and npm render: every relative link of a README or CONTRIBUTING.md,
// and every link of a site page that leaves the site for a repository file.
// All broken ones are reported at once, each with its file and line.

const files = repositoryFiles();

/** The Markdown text of a file, from the repository root. */
const read = (path: string): string => readFileSync(join(REPO, path), 'utf8');

/** The broken links among `links`, one line each. */
function broken(links: readonly Link[]): string[] {
  return links.flatMap((link) => {
    const problem = problemWith(link, files);
    return problem === undefined ? [] : [`${link.file}:${link.line}: ${link.target} (${problem})`];
  });
}

describe('links GitHub renders', () => {
  it('from every README and CONTRIBUTING.md resolve, anchors included', () => {
    const doors = frontDoors(files);
    for (const expected of ['README.md', 'CONTRIBUTING.md', 'packages/node/README.md']) {
      expect(doors).toContain(expected);
    }
    const links = doors.flatMap((file) =>
      linksIn(file, read(file)).filter((link) => !isExternal(link.target)),
    );
    expect(links.length).toBeGreaterThan(0);
    const bad = broken(links);
    expect(bad, `${bad.length} broken link(s):\n${bad.join('\n')}`).toEqual([]);
  });

  it('from the site to repository files resolve, anchors included', () => {
    const links = sitePages(files).flatMap((file) =>
      linksIn(file, read(file)).filter(
        (link) =>
          !isExternal(link.target) &&
          !link.target.startsWith('/') &&
          !isSitePage(resolve(link).path),
      ),
    );
    const bad = broken(links);
    expect(bad, `${bad.length} broken link(s):\n${bad.join('\n')}`).toEqual([]);
  });

  it("compute a site page's anchors as VitePress does", () => {
    // The anchors the checks above expect of a site page are those the built
    // page has: a difference means the slug rules in headings.ts drifted.
    const missing: string[] = [];
    for (const page of sitePages(files)) {
      const built = new Set(
        attributeValues(readPage(page.slice('docs/'.length).replace(/\.md$/, '.html')), 'id'),
      );
      for (const anchor of anchorsOf(read(page), 'vitepress')) {
        if (!built.has(anchor)) missing.push(`${page}#${anchor}`);
      }
    }
    expect(missing, `anchors not on the built pages:\n${missing.join('\n')}`).toEqual([]);
  });
});
