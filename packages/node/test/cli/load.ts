import { request } from 'node:http';
import { BOUNDS, bound } from '../../../../tools/test-support/index.ts';

/** Where a request goes: a TCP URL (`http://127.0.0.1:8000`) or a Unix socket (`unix:/path`). */
export type Target = string;

/** The outcome of one request. */
export interface Outcome {
  status: number;
  body: string;
  error?: string;
}

/**
 * One request with a fresh connection (no keep-alive), bounded by `timeoutMs`
 * (unscaled, `BOUNDS.short` by default; the socket may sit idle that long).
 */
export function get(
  target: Target,
  path: string,
  timeoutMs: number = BOUNDS.short,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const where = target.startsWith('unix:')
      ? { socketPath: target.slice(5) }
      : { host: new URL(target).hostname, port: Number(new URL(target).port) };
    const req = request({ ...where, path, agent: false, timeout: bound(timeoutMs) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', (error) => resolve({ status: 0, body, error: error.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ status: 0, body: '', error: error.message }));
    req.end();
  });
}

/** Summary of a load run. */
export interface LoadResult {
  ok: number;
  failed: Outcome[];
  pids: Set<number>;
}

/**
 * Sends `count` requests to `path` with `concurrency` in flight, each on a new
 * connection, and counts what succeeded (status 200). Bounded in count; each
 * request is bounded in time. `during` runs once `startAfter` requests are done.
 */
export async function load(
  target: Target,
  options: {
    count: number;
    concurrency: number;
    path?: string;
    startAfter?: number;
    during?: () => void;
    stopWhen?: () => boolean;
  },
): Promise<LoadResult> {
  const result: LoadResult = { ok: 0, failed: [], pids: new Set() };
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < options.count && options.stopWhen?.() !== true) {
      next++;
      const outcome = await get(target, options.path ?? '/health');
      done++;
      if (done === options.startAfter) options.during?.();
      if (outcome.status === 200) {
        result.ok++;
        try {
          const pid = (JSON.parse(outcome.body) as { pid?: number }).pid;
          if (pid !== undefined) result.pids.add(pid);
        } catch {
          // not JSON
        }
      } else {
        result.failed.push(outcome);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return result;
}
