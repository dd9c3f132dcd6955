// The README's short options table and the full one on the package's page of the site
// (docs/packages/test-client.md) name the same options with the same defaults.
import { expect, it } from 'vitest';
import { readmeAndPageOptions } from '../../../tools/test-support/index.ts';

it('shows the options of the page, with their defaults', () => {
  const { readme, page } = readmeAndPageOptions(new URL('../', import.meta.url), 'test-client');
  expect(readme.size).toBeGreaterThan(0);
  expect(readme).toEqual(page);
});
