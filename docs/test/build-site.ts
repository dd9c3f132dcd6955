/**
 * vitest's global setup for the docs tests: builds the site once (the
 * generated pages, then `vitepress build`), so every test reads the same
 * build. The build goes to a folder of its own in `docs/` (`.check-site-*`),
 * which a `pnpm docs:build` run beside the tests cannot empty midway; the
 * tests get its path from `inject('site')`. A failed build fails the run
 * with its output.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { BOUNDS, bound } from '../../tools/test-support/index.ts';
import { DOCS } from './paths.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder the site was built into for this run. */
    site: string;
  }
}

/** Builds the site into a new folder, provides its path, and removes it after the run. */
export default function setup(project: TestProject): () => void {
  const site = mkdtempSync(join(DOCS, '.check-site-'));
  const result = spawnSync('pnpm', ['run', 'docs:build', '--outDir', site], {
    cwd: DOCS,
    encoding: 'utf8',
    timeout: bound(BOUNDS.slow),
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (result.status !== 0) {
    rmSync(site, { recursive: true, force: true });
    throw new Error(
      `the docs site did not build (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  project.provide('site', site);
  return () => rmSync(site, { recursive: true, force: true });
}
