import { readFileSync } from 'node:fs';

/**
 * option → default, from the first Markdown table of `text` whose header
 * starts with `| option | default`: the short table of a README or the full
 * one of a site page.
 */
export function optionDefaults(text: string): Map<string, string> {
  const lines = text.split('\n');
  let at = lines.findIndex((line) => /^\| option\s*\| default/.test(line)) + 2;
  const rows = new Map<string, string>();
  for (; at > 1 && lines[at]?.startsWith('|'); at++) {
    const [option, fallback] = lines[at]!.split('|')
      .slice(1, 3)
      .map((cell) => cell.trim());
    rows.set(option!, fallback!);
  }
  return rows;
}

/**
 * The option tables of a package's README and of its site page
 * (`docs/packages/<page>.md`), for a test that holds them equal.
 * `packageDir` is the package's folder URL (`new URL('../', import.meta.url)`).
 */
export function readmeAndPageOptions(
  packageDir: URL,
  page: string,
): { readme: Map<string, string>; page: Map<string, string> } {
  return {
    readme: optionDefaults(readFileSync(new URL('README.md', packageDir), 'utf8')),
    page: optionDefaults(
      readFileSync(new URL(`../../docs/packages/${page}.md`, packageDir), 'utf8'),
    ),
  };
}
