import type { Rule } from '../src/index.ts';
import type { RuleTable } from './rules/cases.ts';

/** What the drift check reads. */
export interface DriftInput {
  /** The text of SPEC.md. */
  spec: string;
  /** The rule registry. */
  rules: Record<string, Rule>;
  /** The sources under src/validate/, concatenated. */
  checks: string;
  /** The data-driven rule tables. */
  cases: RuleTable[];
}

/**
 * Every way SPEC.md, src/rules.ts, the checks in src/validate/ and the rule
 * tests disagree, as readable lines; empty when they agree.
 */
export function findDrift({ spec, rules, checks, cases }: DriftInput): string[] {
  const problems: string[] = [];
  const ids = Object.keys(rules);

  const statements = new Map<string, string[]>();
  for (const match of spec.matchAll(/^\*\*\[([a-z]+\.[0-9]+)\]\*\* (.+)$/gm)) {
    statements.set(match[1]!, [...(statements.get(match[1]!) ?? []), match[2]!]);
  }
  for (const id of ids) {
    const found = statements.get(id) ?? [];
    if (found.length === 0) problems.push(`${id}: not stated in SPEC.md`);
    else if (found.length > 1) problems.push(`${id}: stated ${found.length} times in SPEC.md`);
    else if (found[0] !== rules[id]!.text)
      problems.push(`${id}: SPEC.md sentence differs from rules.ts`);
  }
  for (const match of spec.matchAll(/\[([a-z]+\.[0-9]+)\]/g)) {
    if (!(match[1]! in rules)) problems.push(`${match[1]}: cited in SPEC.md but not in rules.ts`);
  }

  const start = spec.indexOf('<!-- rule-index:start -->');
  const end = spec.indexOf('<!-- rule-index:end -->');
  if (start === -1 || end < start) {
    problems.push('SPEC.md has no rule index markers');
  } else {
    const rows = [
      ...spec.slice(start, end).matchAll(/^\| \[([a-z]+\.[0-9]+)\] *\| ([a-z]+) *\|/gm),
    ];
    const listed = rows.map((m) => m[1]!);
    if (listed.join() !== ids.join())
      problems.push('rule index: ids differ from rules.ts, or their order');
    for (const [, id, by] of rows) {
      if (rules[id!] && rules[id!]!.enforcedBy !== by) problems.push(`${id}: index says ${by}`);
    }
  }

  for (const id of ids) {
    if (rules[id]!.enforcedBy !== 'validate') continue;
    if (!checks.includes(`'${id}'`)) problems.push(`${id}: no check in src/validate/ cites it`);
    const tables = cases.filter((table) => id in table);
    const entry = tables[0]?.[id as keyof RuleTable];
    if (tables.length !== 1 || !entry) problems.push(`${id}: not in exactly one case table`);
    else {
      if (entry.pass.length === 0) problems.push(`${id}: no passing case`);
      if (entry.fail.length === 0) problems.push(`${id}: no failing case`);
    }
  }
  for (const table of cases) {
    for (const id of Object.keys(table)) {
      if (rules[id]?.enforcedBy !== 'validate')
        problems.push(`${id}: has cases but is not a validate rule`);
    }
  }
  return problems;
}
