import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { type Rule, rules } from '../src/index.ts';
import { allCases } from './rules/all.ts';
import { type DriftInput, findDrift } from './spec-drift.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const real: DriftInput = {
  spec: readFileSync(`${root}SPEC.md`, 'utf8'),
  rules,
  checks: readdirSync(`${root}src/validate`)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => readFileSync(`${root}src/validate/${name}`, 'utf8'))
    .join('\n'),
  cases: Object.values(allCases),
};

describe('SPEC.md, src/rules.ts, src/validate/ and test/rules/ agree', () => {
  test('no drift', () => {
    expect(findDrift(real)).toEqual([]);
  });

  test('every rule is covered: 1 statement each, validate rules checked and tested both ways', () => {
    const validateRules = Object.values(rules).filter((r) => r.enforcedBy === 'validate');
    expect(validateRules.length).toBeGreaterThan(50);
    expect(real.spec.match(/^\*\*\[[a-z]+\.[0-9]+\]\*\* /gm)).toHaveLength(
      Object.keys(rules).length,
    );
  });
});

describe('the drift check catches each kind of drift', () => {
  const withRule = (id: string, rule: Rule) => ({ ...rules, [id]: rule }) as Record<string, Rule>;

  test('a sentence edited on one side only', () => {
    const spec = real.spec.replace(rules['sr.6'].text, `${rules['sr.6'].text} Also Date.`);
    expect(findDrift({ ...real, spec })).toEqual(['sr.6: SPEC.md sentence differs from rules.ts']);
  });

  test('a rule missing from SPEC.md, and from the index', () => {
    const spec = real.spec.replace(`**[env.4]** ${rules['env.4'].text}`, '');
    expect(findDrift({ ...real, spec })).toEqual(['env.4: not stated in SPEC.md']);
    const extra = withRule('sr.99', { text: 'New.', enforcedBy: 'server' });
    expect(findDrift({ ...real, rules: extra })).toContain('sr.99: not stated in SPEC.md');
    expect(findDrift({ ...real, rules: extra })).toContain(
      'rule index: ids differ from rules.ts, or their order',
    );
  });

  test('SPEC.md citing a rule that does not exist', () => {
    const spec = `${real.spec}\nSee [body.42].\n`;
    expect(findDrift({ ...real, spec })).toEqual(['body.42: cited in SPEC.md but not in rules.ts']);
  });

  test('a validate rule with no check, or without a failing case', () => {
    const checks = real.checks.replaceAll("'sr.7'", "'sr.x'");
    expect(findDrift({ ...real, checks })).toEqual(['sr.7: no check in src/validate/ cites it']);
    const cases = real.cases.map((table) =>
      table['body.4'] ? { ...table, 'body.4': { pass: table['body.4'].pass, fail: [] } } : table,
    );
    expect(findDrift({ ...real, cases })).toEqual(['body.4: no failing case']);
  });

  test('the index naming the wrong enforcer', () => {
    const spec = real.spec.replace(/^(\| \[srv\.3\] *\| )server/m, '$1validate');
    expect(findDrift({ ...real, spec })).toEqual(['srv.3: index says validate']);
  });
});
