/**
 * `pnpm --filter @tsgi/spec gen:spec`: rewrites the generated regions of
 * SPEC.md (the rule sentences, the rule index and the environ table) from
 * src/rules.ts and src/environ-table.ts. `--check` writes nothing and exits 1
 * when SPEC.md is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { environKeys } from '../src/environ-table.ts';
import { rules } from '../src/rules.ts';
import { generateSpec, specOutOfDate } from './spec-regions.ts';

const path = fileURLToPath(new URL('../SPEC.md', import.meta.url));
const spec = readFileSync(path, 'utf8');
const sources = { rules, environKeys };

if (process.argv.includes('--check')) {
  const problem = specOutOfDate(spec, sources);
  if (problem !== undefined) {
    process.stderr.write(`${problem}\n`);
    process.exitCode = 1;
  }
} else {
  const generated = generateSpec(spec, sources);
  if (generated !== spec) writeFileSync(path, generated);
  process.stdout.write(`SPEC.md ${generated === spec ? 'was up to date' : 'rewritten'}\n`);
}
