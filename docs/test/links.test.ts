import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attributeValues, DIST, htmlPages, readPage } from './site.ts';

// Every internal link of the built site goes to a file that exists, and its
// anchor to an element id on that page. Every broken one is reported, with
// the page it is on, in one failure.

/** The file in `dist` a site path names, or undefined when there is none. */
function fileFor(pathname: string): string | undefined {
  const path = decodeURIComponent(pathname);
  const candidates = path.endsWith('/')
    ? [`${path}index.html`]
    : [path, `${path}.html`, `${path}/index.html`];
  return candidates.find((candidate) => {
    const full = join(DIST, candidate);
    return existsSync(full) && statSync(full).isFile();
  });
}

describe('the built site', () => {
  const pages = htmlPages();

  it('has the home page, the protocol, the CLI reference and the benchmarks', () => {
    for (const page of [
      'index.html',
      'protocol/spec.html',
      'reference/cli.html',
      'benchmarks.html',
    ]) {
      expect(pages).toContain(page);
    }
  });

  it('has no broken internal link or anchor', () => {
    const ids = new Map<string, Set<string>>();
    const idsOf = (file: string): Set<string> => {
      let found = ids.get(file);
      if (found === undefined) {
        found = new Set(attributeValues(readPage(file), 'id'));
        ids.set(file, found);
      }
      return found;
    };
    const broken: string[] = [];
    let checked = 0;
    for (const page of pages) {
      for (const href of new Set(attributeValues(readPage(page), 'href'))) {
        if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(href) || href === '' || href === '#') continue;
        const url = new URL(href, `http://site.invalid/${page}`);
        const file = fileFor(url.pathname);
        checked++;
        if (file === undefined) {
          broken.push(`${page}: ${href} (no page ${url.pathname})`);
          continue;
        }
        const anchor = decodeURIComponent(url.hash.slice(1));
        if (anchor !== '' && file.endsWith('.html') && !idsOf(file).has(anchor)) {
          broken.push(`${page}: ${href} (no id "${anchor}" on ${file})`);
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
    expect(broken, `${broken.length} broken link(s):\n${broken.join('\n')}`).toEqual([]);
  });
});
