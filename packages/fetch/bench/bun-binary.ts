/**
 * The Bun the Bun bench runs its servers under: `BENCH_BUN` (a path), else
 * the pinned Bun that `scripts/runtime-bin.sh bun` installs from the registry
 * and caches (the version is pinned there, once for tests and benches).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RUNTIME_BIN = fileURLToPath(new URL('../../../scripts/runtime-bin.sh', import.meta.url));

/** A Bun binary and the version it reports. */
export interface Bun {
  path: string;
  version: string;
}

/** The Bun to run, or why there is none. */
export function findBun(): Bun | string {
  let path = process.env.BENCH_BUN;
  if (path === undefined || path === '') {
    try {
      path = execFileSync('bash', [RUNTIME_BIN, 'bun'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }).trim();
    } catch (error) {
      return `no Bun: scripts/runtime-bin.sh bun failed (${(error as Error).message}); BENCH_BUN may name one`;
    }
  }
  try {
    const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
    return { path, version };
  } catch (error) {
    return `no Bun: ${path} --version failed (${(error as Error).message})`;
  }
}
