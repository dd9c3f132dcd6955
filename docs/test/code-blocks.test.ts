import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOUNDS, bound, guarded } from '../../tools/test-support/index.ts';
import { type CodeBlock, tsBlocks } from './code-blocks.ts';
import { DOCS, markdownPages, REPO } from './site.ts';

// Every ```ts block on the site is a complete example: written to a folder
// inside the docs package (so @tsgi/* resolve through its node_modules to the
// built packages) and type-checked by one strict `tsc --noEmit` run.

/** The file name of a block: page path and index, readable in tsc's output. */
function fileName(block: CodeBlock): string {
  return `${block.page.replace(/\.md$/, '').replaceAll('/', '__')}--${block.index}.ts`;
}

describe('the code examples', () => {
  it('type-check, every ```ts block not marked <!-- no-check -->', async () => {
    const blocks = markdownPages()
      .flatMap((page) => tsBlocks(page, readFileSync(join(DOCS, page), 'utf8')))
      .filter((block) => block.checked);
    expect(blocks.length).toBeGreaterThan(0);
    const dir = mkdtempSync(join(DOCS, '.check-'));
    await guarded(
      () => {
        const byFile = new Map(blocks.map((block) => [fileName(block), block]));
        for (const [name, block] of byFile) {
          // `export {}` makes every block a module: its names are its own.
          writeFileSync(join(dir, name), `${block.code}\nexport {};\n`);
        }
        writeFileSync(
          join(dir, 'tsconfig.json'),
          JSON.stringify({
            extends: '../../tsconfig.base.json',
            compilerOptions: { noEmit: true },
            include: ['*.ts'],
          }),
        );
        let output = '';
        try {
          execFileSync(
            process.execPath,
            [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', dir, '--pretty', 'false'],
            { encoding: 'utf8', timeout: bound(BOUNDS.slow) },
          );
        } catch (error) {
          output = `${(error as { stdout?: string }).stdout ?? ''}${(error as Error).message}`;
        }
        const failures = [
          ...output.matchAll(/^(\S+\.ts)\((\d+),(\d+)\): (error TS\d+: .*)$/gm),
        ].map(([, file, line, column, message]) => {
          const block = byFile.get(file!.split('/').pop()!);
          if (block === undefined) return `${file}(${line},${column}): ${message}`;
          return `${block.page} block ${block.index} (page line ${block.line + Number(line) - 1}, column ${column}): ${message}`;
        });
        expect(failures, `${failures.length} type error(s):\n${failures.join('\n')}`).toEqual([]);
        expect(output, 'tsc failed without naming a block').toBe('');
      },
      () => rmSync(dir, { recursive: true, force: true }),
    );
  });
});
