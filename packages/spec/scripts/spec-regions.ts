import type { EnvironKeyInfo } from '../src/environ-table.ts';
import type { Rule } from '../src/rules.ts';

/** The command that rewrites SPEC.md's generated regions; named in every error about them. */
export const GEN_SPEC_COMMAND = 'pnpm --filter @tsgi/spec gen:spec';

/** What SPEC.md's generated regions are made from. */
export interface SpecSources {
  /** The rule registry, `rules` of src/rules.ts: the rule sentences and the rule index. */
  readonly rules: Readonly<Record<string, Rule>>;
  /** `environKeys` of src/environ-table.ts: the environ reference table. */
  readonly environKeys: readonly EnvironKeyInfo[];
}

/** `app` for `app.1`: the group a rule belongs to, and the name of its region. */
function groupOf(id: string): string {
  return id.slice(0, id.indexOf('.'));
}

/** A Markdown table, each column padded to its widest cell, `|` in a cell escaped. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const escaped = [header, ...rows].map((row) => row.map((cell) => cell.replaceAll('|', '\\|')));
  const widths = header.map((_, i) => Math.max(...escaped.map((row) => [...row[i]!].length)));
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, i) => cell + ' '.repeat(widths[i]! - [...cell].length)).join(' | ')} |`;
  const [head, ...body] = escaped;
  return [line(head!), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** The rules of one group as SPEC.md states them: `**[id]** sentence`, a blank line between. */
function ruleStatements(group: string, rules: SpecSources['rules']): string {
  const lines = Object.entries(rules)
    .filter(([id]) => groupOf(id) === group)
    .map(([id, rule]) => `**[${id}]** ${rule.text}`);
  return `\n${lines.join('\n\n')}\n`;
}

/** The rule index: every id, in the registry's order, with who enforces it. */
function ruleIndex(rules: SpecSources['rules']): string {
  return table(
    ['Rule', 'Enforced by'],
    Object.entries(rules).map(([id, rule]) => [`[${id}]`, rule.enforcedBy]),
  );
}

/** The environ reference table: key, type (`, optional`), meaning, example. */
function environTable(keys: readonly EnvironKeyInfo[]): string {
  return table(
    ['Key', 'Type', 'Meaning', 'Example'],
    keys.map((info) => [
      `\`${info.key}\``,
      `\`${info.type}\`${info.optional ? ', optional' : ''}`,
      info.meaning,
      `\`${info.example}\``,
    ]),
  );
}

/** Replaces what lies between `<!-- name:start -->` and `<!-- name:end -->`, which must occur once. */
function replaceRegion(spec: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = spec.indexOf(start);
  const to = spec.indexOf(end);
  if (from === -1 || to === -1 || to < from) {
    throw new Error(`SPEC.md has no ${start} … ${end} region`);
  }
  if (spec.indexOf(start, from + 1) !== -1 || spec.indexOf(end, to + 1) !== -1) {
    throw new Error(`SPEC.md has the ${start} … ${end} region more than once`);
  }
  return `${spec.slice(0, from + start.length)}\n${content}\n${spec.slice(to)}`;
}

/**
 * SPEC.md with its generated regions rewritten from the sources, the prose
 * between them kept as it is:
 *
 * - `rules:<group>` (one per group, e.g. `rules:env`): the sentences of the
 *   rules whose id starts with `<group>.`, in the registry's order;
 * - `rule-index`: the table of every rule and who enforces it;
 * - `environ-table`: the reference table of every environ key.
 *
 * Throws an Error naming the region when one is missing, doubled, or names a
 * group the registry does not have, so a new group of rules gets a place.
 */
export function generateSpec(spec: string, sources: SpecSources): string {
  const groups = [...new Set(Object.keys(sources.rules).map(groupOf))];
  for (const match of spec.matchAll(/<!-- rules:([a-z]+):start -->/g)) {
    if (!groups.includes(match[1]!)) {
      throw new Error(
        `SPEC.md has a rules:${match[1]} region, but src/rules.ts has no ${match[1]}.* rule`,
      );
    }
  }
  let out = spec;
  for (const group of groups) {
    out = replaceRegion(out, `rules:${group}`, ruleStatements(group, sources.rules));
  }
  out = replaceRegion(out, 'rule-index', ruleIndex(sources.rules));
  return replaceRegion(out, 'environ-table', environTable(sources.environKeys));
}

/**
 * Why `spec` is not what {@link generateSpec} writes, naming the first line
 * that differs and the command to run, or `undefined` when it is.
 */
export function specOutOfDate(spec: string, sources: SpecSources): string | undefined {
  let generated: string;
  try {
    generated = generateSpec(spec, sources);
  } catch (error) {
    return `${(error as Error).message}: add it, then run \`${GEN_SPEC_COMMAND}\``;
  }
  if (generated === spec) return undefined;
  const have = spec.split('\n');
  const want = generated.split('\n');
  let line = 0;
  while (have[line] === want[line]) line++;
  return `SPEC.md line ${line + 1} is not what src/rules.ts and src/environ-table.ts make of it: run \`${GEN_SPEC_COMMAND}\``;
}
