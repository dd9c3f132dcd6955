/**
 * A scratch directory for benchmarks whose servers write log lines to files:
 * made before the run, its lines counted after it (a check that the lines
 * were written, printed only), removed at the end.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Lines (newlines) in every file of `dir`. */
export function countLines(dir: string): { files: number; lines: number } {
  let lines = 0;
  const names = readdirSync(dir);
  for (const name of names) {
    const text = readFileSync(join(dir, name));
    for (let i = text.indexOf(10); i !== -1; i = text.indexOf(10, i + 1)) lines++;
  }
  return { files: names.length, lines };
}

/**
 * Runs `body` with a fresh directory under the system's temporary one (pass
 * it to the servers, e.g. as BENCH_LOG_DIR), prints how many lines the files
 * in it hold, and removes it, whether `body` succeeds or not.
 */
export async function withLogDir<T>(prefix: string, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `tsgi-bench-${prefix}-`));
  try {
    const result = await body(dir);
    const { files, lines } = countLines(dir);
    console.log(`log lines written: ${lines} in ${files} file(s) under ${dir}`);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
