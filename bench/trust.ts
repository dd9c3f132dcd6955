/**
 * The one rule that decides whether a table may be written to bench/RESULTS.md,
 * with its thresholds. Every writer path (`publishResults` in results.ts, used
 * by the HTTP and the in-process head-to-head runners) asks `refusals()`; a
 * table it refuses is printed only, and its old section stays as it was.
 * See bench/README.md, "When a table is not written".
 */

/** Fewest rounds a written table may rest on (BENCH_H2H_ROUNDS below it only prints). */
export const MIN_ROUNDS = 5;

/**
 * Widest range a ratio may have over its rounds, as a share of its median:
 * every round within ±15 % (min ≥ 0.85 × median and max ≤ 1.15 × median).
 */
export const MAX_SPREAD = 0.15;

/** The machine before the run: the 1-minute load average and the CPUs there are for it. */
export interface Machine {
  /** `os.loadavg()[0]`, read once when the run began. */
  load: number;
  /** `os.availableParallelism()`. */
  cpus: number;
}

/** One ratio of a table (e.g. `'@tsgi/node: requests served'`) and its value in each round. */
export interface RatioSeries {
  label: string;
  values: number[];
}

/** What a table rests on, for the rule. */
export interface Measured {
  /** Rounds per comparison, each with fresh processes. */
  rounds: number;
  /** Whether the contenders ran pinned to one CPU (taskset was there). */
  pinned: boolean;
  /** Failed requests or operations over all rounds (non-2xx, socket errors, crashes). */
  errors: number;
  /** Every ratio of the table, with its per-round values. */
  ratios: RatioSeries[];
}

/** The median of a list of numbers (NaN for an empty list). */
export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Why the per-round `values` of a ratio are too spread to be trusted, or
 * `undefined` when every round lies within ±MAX_SPREAD of their median.
 *
 * @example
 * tooWide([1, 1.02, 0.98, 1.3, 1]); // '0.98–1.30 around 1.00: max above 1.15 × median'
 */
export function tooWide(values: number[]): string | undefined {
  const mid = median(values);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const range = `${min.toFixed(2)}–${max.toFixed(2)} around ${mid.toFixed(2)}`;
  if (!values.every(Number.isFinite) || !Number.isFinite(mid) || mid <= 0)
    return `${range}: not a positive finite figure in every round`;
  if (min < (1 - MAX_SPREAD) * mid) return `${range}: min below ${1 - MAX_SPREAD} × median`;
  if (max > (1 + MAX_SPREAD) * mid) return `${range}: max above ${1 + MAX_SPREAD} × median`;
  return undefined;
}

/**
 * The reasons not to write a table measured on `machine`, one sentence each;
 * an empty list means it may be written. Refused: a load average above the CPU
 * count before the run, fewer than MIN_ROUNDS rounds, unpinned contenders,
 * any failed request, and any ratio whose range over the rounds leaves
 * ±MAX_SPREAD of its median.
 */
export function refusals(machine: Machine, measured: Measured): string[] {
  const reasons: string[] = [];
  if (!(machine.load <= machine.cpus))
    reasons.push(
      `the 1-minute load average before the run, ${machine.load.toFixed(2)}, exceeds the ${machine.cpus} CPUs`,
    );
  if (!(measured.rounds >= MIN_ROUNDS))
    reasons.push(`${measured.rounds} round(s), fewer than ${MIN_ROUNDS}`);
  if (!measured.pinned) reasons.push('the contenders were not pinned to one CPU (taskset missing)');
  if (measured.errors > 0) reasons.push(`${measured.errors} failed requests or operations`);
  if (measured.ratios.length === 0) reasons.push('no ratio was measured');
  for (const { label, values } of measured.ratios) {
    const wide = tooWide(values);
    if (wide !== undefined) reasons.push(`${label}: ${wide}`);
  }
  return reasons;
}
