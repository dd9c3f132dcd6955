import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { corpus } from './corpus/index.js';
import { beyondNodeTable } from './table.js';

const START = '<!-- framing:start -->';
const END = '<!-- framing:end -->';

it('the README table of what we reject beyond Node is the corpus cases that differ', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  expect(start, `README.md needs ${START} … ${END}`).toBeGreaterThan(-1);
  expect(readme.slice(start + START.length, end).trim()).toBe(beyondNodeTable());
  expect(readme).toContain(`${corpus.length} raw requests`);
  const same = corpus.filter((c) => c.node === undefined).length;
  expect(readme).toContain(`The other ${same} requests`);
});
