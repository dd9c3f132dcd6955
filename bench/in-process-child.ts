/**
 * One side of an in-process head-to-head round (in-process.ts starts two):
 *
 *   node --import tsx in-process-child.ts <module> <workload> <seconds> <warm-up seconds>
 *
 * Imports the workload module, prepares the operation, loops it for the
 * warm-up (finding how many calls take about a millisecond), sends `{ready}`
 * over IPC, waits for `go`, loops it for <seconds>, and sends the operations
 * done, its CPU time (`process.cpuUsage()`, all of this process's threads) and
 * the wall time, after the operation's `close`. Exits when the parent disconnects.
 */
import { pathToFileURL } from 'node:url';
import type { Operation, Prepare } from './in-process.ts';

const [module, workload, seconds, warmup] = process.argv.slice(2);
if (process.send === undefined || module === undefined || workload === undefined)
  throw new Error('in-process-child.ts runs under in-process.ts, with an IPC channel');
const send = process.send.bind(process);

/** Keeps each call's result alive, so an optimizer cannot drop the call. */
let sink: unknown;

/**
 * Calls `run` in batches of `batch` calls, reading the clock between batches,
 * until `until` (a `performance.now()` time) has passed: one batch at least.
 * Returns the calls made.
 */
function loopSync(run: () => unknown, batch: number, until: number): number {
  let calls = 0;
  do {
    for (let i = 0; i < batch; i++) sink = run();
    calls += batch;
  } while (performance.now() < until);
  return calls;
}

/** {@link loopSync} for an operation that returns a promise: each call is awaited. */
async function loopAsync(run: () => unknown, batch: number, until: number): Promise<number> {
  let calls = 0;
  do {
    for (let i = 0; i < batch; i++) sink = await run();
    calls += batch;
  } while (performance.now() < until);
  return calls;
}

const { prepare } = (await import(pathToFileURL(module).href)) as { prepare: Prepare };
const operation: Operation = await prepare(workload);
const run = () => operation.run();
const first = run() as Promise<unknown> | undefined;
const isAsync = typeof first?.then === 'function';
if (isAsync) await first;
const loop = isAsync ? loopAsync : loopSync;

// Warm-up: double the batch until one takes a millisecond, then loop the rest of the warm-up.
const warmEnd = performance.now() + Number(warmup) * 1000;
let batch = 1;
for (;;) {
  const start = performance.now();
  await loop(run, batch, 0);
  if (performance.now() - start >= 1 || performance.now() > warmEnd) break;
  batch *= 2;
}
await loop(run, batch, warmEnd);

process.once('disconnect', () => process.exit(0));
process.once('message', async () => {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const calls = await loop(run, batch, start + Number(seconds) * 1000);
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  await operation.close?.();
  send({
    ops: calls * (operation.weight ?? 1),
    cpuMicros: used.user + used.system,
    wallMs,
    sink: typeof sink,
  });
});
send({ ready: true });
