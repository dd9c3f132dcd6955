import { specOutOfDate } from '../scripts/spec-regions.ts';
import type { EnvironKeyInfo, Rule } from '../src/index.ts';
import type { RuleTable } from './rules/cases.ts';

/** What the drift check reads. */
export interface DriftInput {
  /** The text of SPEC.md. */
  spec: string;
  /** The rule registry. */
  rules: Record<string, Rule>;
  /** The environ keys, the source of SPEC.md's environ table. */
  environKeys: readonly EnvironKeyInfo[];
  /** The sources under src/validate/, concatenated. */
  checks: string;
  /** The data-driven rule tables. */
  cases: RuleTable[];
}

/**
 * Every way SPEC.md, src/rules.ts, src/environ-table.ts, the checks in
 * src/validate/ and the rule tests disagree, as readable lines; empty when
 * they agree. SPEC.md's rule sentences, rule index and environ table are
 * generated (scripts/gen-spec.ts), so any edit to them shows as one line
 * naming the command that rewrites them.
 */
export function findDrift({ spec, rules, environKeys, checks, cases }: DriftInput): string[] {
  const problems: string[] = [];
  const ids = Object.keys(rules);

  const outOfDate = specOutOfDate(spec, { rules, environKeys });
  if (outOfDate !== undefined) problems.push(outOfDate);

  const statements = new Map<string, number>();
  for (const match of spec.matchAll(/^\*\*\[([a-z]+\.[0-9]+)\]\*\* /gm)) {
    statements.set(match[1]!, (statements.get(match[1]!) ?? 0) + 1);
  }
  for (const id of ids) {
    const count = statements.get(id) ?? 0;
    if (count === 0) problems.push(`${id}: not stated in SPEC.md`);
    else if (count > 1) problems.push(`${id}: stated ${count} times in SPEC.md`);
  }
  for (const match of spec.matchAll(/\[([a-z]+\.[0-9]+)\]/g)) {
    if (!(match[1]! in rules)) problems.push(`${match[1]}: cited in SPEC.md but not in rules.ts`);
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
