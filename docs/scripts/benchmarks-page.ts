/**
 * `docs/benchmarks.md` from `bench/RESULTS.md`: its sections as they are,
 * without the `<!-- results:<name> -->` markers `pnpm bench` finds them by.
 */
import { escapeForVue, generatedHeader, mapLines, repoLinksToCode } from './markdown.ts';

/** The markers around each benchmark's section. */
const MARKER = /^<!-- \/?results:[^>]*-->\s*$/;

/** Turns RESULTS.md's text into the page's Markdown. */
export function benchmarksPage(results: string): string {
  const body = mapLines(results, (line) =>
    MARKER.test(line) ? [] : escapeForVue(repoLinksToCode(line, 'bench')),
  );
  return `${generatedHeader('Benchmarks', 90, 'bench/RESULTS.md')}\n${body.replace(/\n{3,}/g, '\n\n')}`;
}
