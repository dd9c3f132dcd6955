import { spawnSync } from 'node:child_process';

/**
 * Runs `pnpm install` at the workspace root so the new package is linked and
 * the lockfile lists it. Offline first (everything it needs is already in the
 * store), then `--prefer-offline` if the store lacks something.
 * `--no-frozen-lockfile` because pnpm freezes the lockfile by default under CI.
 * Returns whether an install succeeded.
 */
export function installWorkspace(root, { quiet = false } = {}) {
  const stdio = quiet ? 'pipe' : 'inherit';
  for (const mode of ['--offline', '--prefer-offline']) {
    const run = spawnSync('pnpm', ['install', mode, '--no-frozen-lockfile'], {
      cwd: root,
      stdio,
      encoding: 'utf8',
    });
    if (run.status === 0) return true;
    if (quiet) process.stderr.write(`${run.stdout ?? ''}${run.stderr ?? ''}`);
  }
  return false;
}
