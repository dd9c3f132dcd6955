/**
 * The machine a run measures on and its load before the run, read once when
 * the run begins (`beginRun`) and stated above every table it writes.
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import type { Machine } from './trust.ts';

/** The machine and its load when a run began. */
export interface RunContext extends Machine {
  /** When the run began. */
  startedAt: Date;
  /** The 1-, 5- and 15-minute load averages then. */
  loadAverages: number[];
  /** The CPU model, e.g. `'AMD EPYC'`. */
  model: string;
  /** `process.version`. */
  node: string;
}

/** Where the load and CPU figures come from: the OS by default, fakes in tests. */
export interface MachineProbe {
  loadavg(): number[];
  cpus(): number;
  model(): string;
  /** Waits `ms` (settling the load). */
  sleep(ms: number): Promise<void>;
  now(): Date;
}

/** The probe of this machine. */
export const osProbe: MachineProbe = {
  loadavg,
  cpus: availableParallelism,
  model: () => cpus()[0]?.model.trim() ?? 'unknown CPU',
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => new Date(),
};

/** The machine with `loadAverages` (by default read now) as its load before the run. */
export function readRunContext(
  probe: MachineProbe = osProbe,
  loadAverages: number[] = probe.loadavg(),
): RunContext {
  return {
    startedAt: probe.now(),
    loadAverages,
    load: loadAverages[0]!,
    cpus: probe.cpus(),
    model: probe.model(),
    node: process.version,
  };
}

/**
 * Reads the run context after letting the load settle: while the 1-minute
 * load average exceeds the CPU count, waits (5 s at a time, `settleSeconds` at
 * most) for it to fall, since the bench before this one (or the build) leaves
 * its own load behind for a minute or so. Another tenant's load does not fall.
 * The last reading is the run's: the one its tables are judged by.
 */
export async function settledRunContext(
  settleSeconds: number,
  probe: MachineProbe = osProbe,
): Promise<RunContext> {
  let waited = 0;
  let loads = probe.loadavg();
  if (loads[0]! > probe.cpus() && settleSeconds > 0)
    console.log(
      `load average ${loads[0]!.toFixed(2)} above ${probe.cpus()} CPUs: waiting up to ${settleSeconds} s for it to settle (BENCH_SETTLE)`,
    );
  while (loads[0]! > probe.cpus() && waited < settleSeconds) {
    await probe.sleep(5000);
    waited += 5;
    loads = probe.loadavg();
  }
  return readRunContext(probe, loads);
}

let current: Promise<RunContext> | undefined;

/**
 * The context of this process's run: read (after settling, BENCH_SETTLE
 * seconds at most, default 120) on the first call, which the runners make
 * before they start anything, and the same on every later call, so each table
 * of one bench script is judged by the load before the script measured.
 */
export function beginRun(): Promise<RunContext> {
  const value = process.env.BENCH_SETTLE;
  const settle = value === undefined || value === '' ? 120 : Number(value);
  current ??= settledRunContext(settle);
  return current;
}

/** The line under a section's heading: when, on what, and the load before the run. */
export function runHeader(run: RunContext): string {
  const when = run.startedAt.toISOString().slice(0, 16).replace('T', ' ');
  const load = run.loadAverages.map((value) => value.toFixed(2)).join(' ');
  return `Run ${when} UTC · Node ${run.node} · ${run.cpus} × ${run.model} · load average before the run ${load} (1, 5, 15 min)`;
}
