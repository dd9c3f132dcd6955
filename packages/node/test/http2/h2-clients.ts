import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BOUNDS, bound } from '../../../../tools/test-support/index.ts';

const run = promisify(execFile);

/** What h2load reported: its request counts and the 2xx count. */
export interface H2loadReport {
  total: number;
  started: number;
  done: number;
  succeeded: number;
  failed: number;
  errored: number;
  timeout: number;
  ok2xx: number;
  output: string;
}

/** Reads h2load's `requests:` and `status codes:` lines. */
export function parseH2load(output: string): H2loadReport {
  const requests =
    /requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(
      output,
    );
  const codes = /status codes: (\d+) 2xx/.exec(output);
  if (requests === null || codes === null) throw new Error(`unexpected h2load output:\n${output}`);
  const [, total, started, done, succeeded, failed, errored, timeout] = requests.map(Number);
  return {
    total: total!,
    started: started!,
    done: done!,
    succeeded: succeeded!,
    failed: failed!,
    errored: errored!,
    timeout: timeout!,
    ok2xx: Number(codes[1]),
    output,
  };
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
