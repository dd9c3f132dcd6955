/**
 * `docs/protocol/spec.md` from `packages/spec/SPEC.md`: the same text, with
 * each rule's id (`**[env.5]**` opening its sentence) made an anchor
 * (`#env.5`), and every citation of a rule (in prose and in the rule index)
 * a link to it.
 */
import {
  escapeForVue,
  generatedHeader,
  mapLines,
  outsideCodeSpans,
  repoLinksToCode,
} from './markdown.ts';

/** A rule id as SPEC.md writes it: group, dot, number. */
const RULE = /\[([a-z]+\.\d+)\]/g;

/** The line that states a rule opens with its id in bold. */
const STATEMENT = /^\*\*\[([a-z]+\.\d+)\]\*\*/;

/** Turns SPEC.md's text into the page's Markdown. */
export function specPage(spec: string): string {
  const defined = new Set<string>();
  for (const line of spec.split('\n')) {
    const id = STATEMENT.exec(line)?.[1];
    if (id !== undefined) defined.add(id);
  }
  const linked = (text: string) =>
    text.replace(RULE, (whole, id: string, at: number, all: string) =>
      defined.has(id) && all[at + whole.length] !== '(' ? `[\\[${id}\\]](#${id})` : whole,
    );
  const body = mapLines(
    spec,
    (line) => {
      const statement = STATEMENT.exec(line);
      if (statement !== null) {
        const id = statement[1]!;
        const rest = line.slice(statement[0].length);
        const anchor = `**<a id="${id}" href="#${id}">[${id}]</a>**`;
        return (
          anchor + outsideCodeSpans(escapeForVue(repoLinksToCode(rest, 'packages/spec')), linked)
        );
      }
      return outsideCodeSpans(escapeForVue(repoLinksToCode(line, 'packages/spec')), linked);
    },
    // SPEC.md's code shows shapes and outlines; @tsgi/spec's types are the checked source.
    (line, opening) =>
      opening && /^\s*```(ts|typescript)\b/.test(line) ? ['<!-- no-check -->', line] : line,
  );
  return `${generatedHeader('The TSGI protocol', 1, 'packages/spec/SPEC.md')}\n${body}`;
}
