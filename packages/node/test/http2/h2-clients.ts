import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  type H2loadReport as BenchH2loadReport,
  parseH2load as parseBenchH2load,
} from '../../../../bench/h2load.ts';
import { BOUNDS, bound } from '../../../../tools/test-support/index.ts';

const run = promisify(execFile);

/** What h2load reported (the bench harness's one reader of its output), with the output itself. */
export type H2loadReport = BenchH2loadReport & { output: string };

/** Reads h2load's report: `parseH2load` of the bench harness, keeping the output for messages. */
export function parseH2load(output: string): H2loadReport {
  return { ...parseBenchH2load(output), output };
}

/** Runs Debian's `h2load` with `args` against `url` (h2 over TLS); bounded by `BOUNDS.process`. */
export async function h2load(url: string, args: string[]): Promise<H2loadReport> {
  try {
    const { stdout } = await run('h2load', [...args, url], { timeout: bound(BOUNDS.process) });
    return parseH2load(stdout);
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    if (e.stdout !== undefined && /requests: /.test(e.stdout)) return parseH2load(e.stdout);
    throw new Error(`h2load failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}
