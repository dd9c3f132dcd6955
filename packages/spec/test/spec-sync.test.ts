import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { GEN_SPEC_COMMAND, generateSpec } from '../scripts/spec-regions.ts';
import { environKeys, type Rule, rules } from '../src/index.ts';
import { allCases } from './rules/all.ts';
import { type DriftInput, findDrift } from './spec-drift.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const real: DriftInput = {
  spec: readFileSync(`${root}SPEC.md`, 'utf8'),
  rules,
  environKeys,
  checks: readdirSync(`${root}src/validate`)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => readFileSync(`${root}src/validate/${name}`, 'utf8'))
    .join('\n'),
  cases: Object.values(allCases),
};

/** The line number (1-based) of the first line of `spec` that starts with `prefix`. */
const lineOf = (spec: string, prefix: string) =>
  spec.split('\n').findIndex((line) => line.startsWith(prefix)) + 1;

/** What findDrift says when SPEC.md's generated regions are stale from `line` on. */
const stale = (line: number) =>
  `SPEC.md line ${line} is not what src/rules.ts and src/environ-table.ts make of it: run \`${GEN_SPEC_COMMAND}\``;

describe('SPEC.md, src/rules.ts, src/environ-table.ts, src/validate/ and test/rules/ agree', () => {
  test('no drift: SPEC.md is what gen:spec writes, and every check and case is there', () => {
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

  test('a sentence edited in SPEC.md: stale, and gen:spec puts the registry one back', () => {
    const spec = real.spec.replace(rules['sr.6'].text, `${rules['sr.6'].text} Also Date.`);
    expect(findDrift({ ...real, spec })).toEqual([stale(lineOf(spec, '**[sr.6]**'))]);
    expect(generateSpec(spec, real)).toBe(real.spec);
  });

  test('a sentence edited in rules.ts: SPEC.md is stale until gen:spec writes it', () => {
    const edited = withRule('sr.6', { ...rules['sr.6'], text: 'Edited.' });
    expect(findDrift({ ...real, rules: edited })).toEqual([stale(lineOf(real.spec, '**[sr.6]**'))]);
    expect(generateSpec(real.spec, { ...real, rules: edited })).toContain('\n**[sr.6]** Edited.\n');
  });

  test('a rule missing from SPEC.md, or new in rules.ts: its region and the index get it', () => {
    const spec = real.spec.replace(`**[env.4]** ${rules['env.4'].text}`, '');
    expect(findDrift({ ...real, spec })).toEqual([
      stale(lineOf(real.spec, '**[env.4]**')),
      'env.4: not stated in SPEC.md',
    ]);
    const extra = withRule('sr.99', { text: 'New.', enforcedBy: 'server' });
    const problems = findDrift({ ...real, rules: extra });
    expect(problems).toEqual([
      stale(lineOf(real.spec, '<!-- rules:sr:end -->')),
      'sr.99: not stated in SPEC.md',
    ]);
    const generated = generateSpec(real.spec, { ...real, rules: extra });
    expect(generated).toContain(`**[sr.12]** ${rules['sr.12'].text}\n\n**[sr.99]** New.\n`);
    // The index lists the registry in order: sr.99 was added last.
    expect(generated).toMatch(/^\| \[srv\.8\] +\| server +\|\n\| \[sr\.99\] +\| server +\|$/m);
  });

  test('a new group of rules with no region in SPEC.md, and a region for no group', () => {
    const extra = withRule('tls.1', { text: 'New.', enforcedBy: 'server' });
    expect(findDrift({ ...real, rules: extra })).toEqual([
      `SPEC.md has no <!-- rules:tls:start --> … <!-- rules:tls:end --> region: add it, then run \`${GEN_SPEC_COMMAND}\``,
      'tls.1: not stated in SPEC.md',
    ]);
    const spec = `${real.spec}\n<!-- rules:tls:start -->\n<!-- rules:tls:end -->\n`;
    expect(() => generateSpec(spec, real)).toThrow(
      'SPEC.md has a rules:tls region, but src/rules.ts has no tls.* rule',
    );
    const twice = `${real.spec}\n<!-- rule-index:start -->\n<!-- rule-index:end -->\n`;
    expect(() => generateSpec(twice, real)).toThrow(
      'SPEC.md has the <!-- rule-index:start --> … <!-- rule-index:end --> region more than once',
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
    const spec = real.spec.replace(/^(\| \[srv\.3\] *\| )server {2}/m, '$1validate');
    expect(findDrift({ ...real, spec })).toEqual([stale(lineOf(spec, '| [srv.3]'))]);
    expect(generateSpec(spec, real)).toBe(real.spec);
  });

  test("the environ table edited in SPEC.md, or a key's meaning in environ-table.ts", () => {
    const row = '| `tsgi.run_once`';
    const spec = real.spec.replace('This process serves only this request', 'Runs once');
    expect(findDrift({ ...real, spec })).toEqual([stale(lineOf(spec, row))]);
    expect(generateSpec(spec, real)).toBe(real.spec);
    const keys = environKeys.map((info) =>
      info.key === 'tsgi.run_once' ? { ...info, meaning: 'Runs once' } : info,
    );
    expect(findDrift({ ...real, environKeys: keys })).toEqual([stale(lineOf(real.spec, row))]);
  });
});
