import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOUNDS, bound } from '../../tools/test-support/index.ts';
import { REPO, readPage } from './site.ts';

// The CLI reference page is generated from the flag table `tsgi --help` uses;
// this compares the page with what the built CLI prints.

/** The long flags of the option lines of a `--help` text (`  --port <value>`, `  -h, --help`). */
function helpFlags(help: string): string[] {
  return [...help.matchAll(/^ {2}(?:-[a-z], )?--([a-z][a-z-]*)/gm)].map((match) => match[1]!);
}

/** The long flags in the first cell of every table row of the built page. */
function pageFlags(html: string): string[] {
  const cells = [...html.matchAll(/<tr>\s*<td>([\s\S]*?)<\/td>/g)].map((match) => match[1]!);
  return cells.flatMap((cell) => {
    const flag = /<code>(?:-[a-z], )?--([a-z][a-z-]*)/.exec(cell)?.[1];
    return flag === undefined ? [] : [flag];
  });
}

describe('the CLI reference page', () => {
  it('lists exactly the flags `tsgi --help` prints, each once', () => {
    const help = execFileSync(
      process.execPath,
      [join(REPO, 'packages/node/dist/cli.js'), '--help'],
      {
        encoding: 'utf8',
        timeout: bound(BOUNDS.process),
      },
    );
    const printed = helpFlags(help);
    const listed = pageFlags(readPage('reference/cli.html'));
    expect(printed.length).toBeGreaterThan(10);
    expect(new Set(listed).size, 'a flag listed twice').toBe(listed.length);
    expect([...listed].sort()).toEqual([...printed].sort());
  });
});
