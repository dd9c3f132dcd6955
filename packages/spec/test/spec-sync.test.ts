import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { type RuleId, rules } from '../src/index.ts';
import { allCases } from './rules/all.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const spec = readFileSync(`${root}SPEC.md`, 'utf8');
const ids = Object.keys(rules) as RuleId[];

/** `**[id]** sentence` lines: the normative statements of SPEC.md. */
const statements = new Map<string, string[]>();
for (const match of spec.matchAll(/^\*\*\[([a-z]+\.[0-9]+)\]\*\* (.+)$/gm)) {
  const list = statements.get(match[1]!) ?? [];
  list.push(match[2]!);
  statements.set(match[1]!, list);
}

const validateSources = readdirSync(`${root}src/validate`)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => readFileSync(`${root}src/validate/${name}`, 'utf8'))
  .join('\n');

describe('SPEC.md and src/rules.ts agree', () => {
  test.each(ids)('%s is stated once in SPEC.md, word for word', (id) => {
    expect(statements.get(id), `SPEC.md has no **[${id}]** statement`).toHaveLength(1);
    expect(statements.get(id)![0]).toBe(rules[id].text);
  });

  test('SPEC.md cites no rule that rules.ts lacks', () => {
    const cited = new Set([...spec.matchAll(/\[([a-z]+\.[0-9]+)\]/g)].map((m) => m[1]!));
    const unknown = [...cited].filter((id) => !(id in rules));
    expect(unknown).toEqual([]);
  });

  test('the rule index lists every rule with who enforces it', () => {
    const start = spec.indexOf('<!-- rule-index:start -->');
    const end = spec.indexOf('<!-- rule-index:end -->');
    expect(start).toBeGreaterThan(-1);
    const index = spec.slice(start, end);
    const rows = new Map(
      [...index.matchAll(/^\| \[([a-z]+\.[0-9]+)\] *\| ([a-z]+) *\|/gm)].map((m) => [m[1]!, m[2]!]),
    );
    expect([...rows.keys()]).toEqual(ids);
    for (const id of ids) expect(rows.get(id), id).toBe(rules[id].enforcedBy);
  });
});

describe('every validate rule has a check and tests', () => {
  const checked = ids.filter((id) => rules[id].enforcedBy === 'validate');

  test.each(checked)('%s is checked in src/validate/', (id) => {
    expect(validateSources.includes(`'${id}'`), `no check cites '${id}'`).toBe(true);
  });

  test.each(checked)('%s has a passing and a failing case', (id) => {
    const tables = Object.values(allCases).filter((table) => table[id]);
    expect(tables, `no case table has ${id}`).toHaveLength(1);
    const cases = tables[0]![id]!;
    expect(cases.pass.length).toBeGreaterThan(0);
    expect(cases.fail.length).toBeGreaterThan(0);
  });

  test('no case table names a rule that does not exist or is not checked by validate', () => {
    for (const table of Object.values(allCases)) {
      for (const id of Object.keys(table)) {
        expect(rules[id as RuleId]?.enforcedBy, id).toBe('validate');
      }
    }
  });
});
