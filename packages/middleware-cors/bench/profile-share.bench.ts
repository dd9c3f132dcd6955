/**
 * The share of the server's CPU each middleware takes, measured inside one
 * process: the server runs under `--cpu-prof` while wrk loads it, and the
 * samples that fall in the middleware's own code (plus native and node-internal
 * calls it makes, such as `performance.now()`) are divided by all non-idle
 * samples. Garbage collection its allocations cause is not attributed. A ratio
 * within one process holds up far better on a busy machine than req/s taken
 * from separate runs. Needs wrk; uses the built packages.
 *
 * It prints its table only: a share within one process is no head-to-head
 * ratio, so bench/RESULTS.md does not take it (see bench/README.md). Run:
 * `pnpm --filter @tsgi/middleware-cors bench:profile` (BENCH_PROFILE_DURATION
 * seconds of load per stack, default 5).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { findWrk, runWrk } from '../../../bench/harness.ts';
import { readRunContext, runHeader } from '../../../bench/machine.ts';
import { markdownTable } from '../../../bench/results.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const here = fileURLToPath(new URL('.', import.meta.url));
const SECONDS = Number(process.env.BENCH_PROFILE_DURATION || 5);
const MIDDLEWARE = /\/middleware-(timing|cors)\/dist\//;

async function profileOne(
  middleware: string,
  wrk: string,
): Promise<{ share: number; rps: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'tsgi-prof-'));
  const child = spawn(
    process.execPath,
    ['--cpu-prof', `--cpu-prof-dir=${dir}`, 'profiled-server.mjs'],
    {
      cwd: here,
      env: { ...process.env, BENCH_MIDDLEWARE: middleware, PORT: '0', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start in 15 s')), 15_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
  });
  const sample = runWrk(wrk, `http://127.0.0.1:${port}/`, SECONDS, 32);
  child.kill('SIGTERM');
  await exited;
  const file = readdirSync(dir)[0]!;
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
  rmSync(dir, { recursive: true, force: true });

  const time = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    time.set(id, (time.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const parent = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node);
  let busy = 0;
  let ours = 0;
  for (const node of profile.nodes) {
    const t = time.get(node.id) ?? 0;
    if (node.callFrame.functionName === '(idle)') continue;
    busy += t;
    // Ours: a frame of our dist, or a native / node-internal frame (performance.now,
    // JSON.stringify, ...) whose nearest ordinary caller is ours.
    let frame: ProfileNode | undefined = node;
    while (
      frame !== undefined &&
      (frame.callFrame.url === '' || frame.callFrame.url.startsWith('node:'))
    ) {
      frame = parent.get(frame.id);
    }
    if (frame !== undefined && MIDDLEWARE.test(frame.callFrame.url)) ours += t;
  }
  return { share: ours / busy, rps: sample.requestsPerSecond };
}

const run = readRunContext();
const wrk = findWrk();
if (wrk === undefined) {
  console.log('\nprofile share: skipped, wrk is not installed');
} else {
  const rows: string[][] = [];
  for (const [name, middleware] of [
    ['timing', 'timing'],
    ['cors', 'cors'],
    ['cors + timing', 'both'],
  ] as const) {
    const { share, rps } = await profileOne(middleware, wrk);
    rows.push([name, Math.round(rps).toLocaleString('en-US'), `${(share * 100).toFixed(1)} %`]);
  }
  console.log(`
## Share of the server CPU spent in the middleware (CPU profile under load; printed only)

${runHeader(run)}

${markdownTable(['stack', 'req/s during the profile', 'CPU in the middleware'], rows)}

- load: \`wrk -t1 -c32 -d${SECONDS}s\`; \`node --cpu-prof\` on the server (bench/profiled-server.mjs)
- goal: ≤ 5 % per middleware`);
}
