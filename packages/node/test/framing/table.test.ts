import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { corpus } from './corpus/index.js';
import { beyondNodeTable } from './table.js';

const START = '<!-- framing:start -->';
const END = '<!-- framing:end -->';

/** The site's page on errors and hostile input, which holds the table. */
const PAGE = new URL('../../../../docs/packages/node/errors.md', import.meta.url);

it('the errors page table of what we reject beyond Node is the corpus cases that differ', () => {
  const page = readFileSync(PAGE, 'utf8');
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  expect(start, `docs/packages/node/errors.md needs ${START} … ${END}`).toBeGreaterThan(-1);
  expect(page.slice(start + START.length, end).trim()).toBe(beyondNodeTable());
  expect(page).toContain(`${corpus.length} raw requests`);
  const same = corpus.filter((c) => c.node === undefined).length;
  expect(page).toContain(`The other ${same} requests`);
});
