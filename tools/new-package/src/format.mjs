import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Formats the generated code and JSON files with the workspace's Biome (`biome check
 * --write`), so line breaks and export order fit the name that was filled in.
 * Returns false, without throwing, when Biome is not installed yet or fails.
 */
export function formatFiles(root, files) {
  const biome = join(root, 'node_modules', '.bin', 'biome');
  if (!existsSync(biome)) return false;
  // Code and JSON only: Biome would take a changeset's frontmatter for a Markdown heading.
  const code = files.filter((file) => /\.(ts|json)$/.test(file));
  const run = spawnSync(biome, ['check', '--write', '--no-errors-on-unmatched', ...code], {
    cwd: root,
    encoding: 'utf8',
  });
  if (run.status !== 0) process.stderr.write(`${run.stdout}${run.stderr}`);
  return run.status === 0;
}
