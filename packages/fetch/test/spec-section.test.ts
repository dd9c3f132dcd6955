import { readFileSync } from 'node:fs';
import { environKeys, rules } from '@tsgi/spec';
import { describe, expect, test } from 'vitest';

const spec = readFileSync(new URL('../../spec/SPEC.md', import.meta.url), 'utf8');
const start = spec.indexOf('## Fetch runtimes: Request and Response');
const section = spec.slice(start, spec.indexOf('\n## ', start + 1));

describe("SPEC.md's section on fetch runtimes", () => {
  test('cites only rules that exist', () => {
    expect(start).toBeGreaterThan(0);
    const cited = [...section.matchAll(/\[([a-z]+\.[0-9]+)\]/g)].map((m) => m[1]!);
    expect(cited.length).toBeGreaterThan(30);
    expect(cited.filter((id) => !(id in rules))).toEqual([]);
  });

  test('maps every CGI key and tsgi.* key a server sets', () => {
    const named = new Set([...section.matchAll(/`([A-Za-z_.*]+)`/g)].map((m) => m[1]!));
    const missing = environKeys
      .map((info) => info.key)
      .filter(
        (key) =>
          !key.startsWith('<') && !/^tsgi\.(route|request_id|multi|run_once|version)/.test(key),
      )
      .filter((key) => !named.has(key));
    expect(missing).toEqual([]);
  });
});
