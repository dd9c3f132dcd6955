/**
 * The lines under a head-to-head table that state a contender's cost in
 * requests served, and hold it to a goal, written from the medians with the
 * table.
 */
import type { HeadToHeadRow } from './head-to-head.ts';
import { describeRatio, formatRatio } from './results.ts';

/** What {@link servedGoal} states: the issue, the feature, its baseline and the allowed cost. */
export interface ServedGoal {
  /** The issue that set the goal, e.g. `30`. */
  issue: number;
  /** The feature measured, e.g. `'timing with its log line (to a file)'`. */
  what: string;
  /** What it is held against, e.g. `'the same app without it'`. */
  against: string;
  /** The largest share of requests served it may cost, e.g. `0.05`. */
  cost: number;
}

/** `0.97× (median), 3.0 % fewer requests served, 2.1 % more CPU per request` for `row`. */
export function servedCost(row: HeadToHeadRow): string {
  return `${formatRatio(row.ratio)}× (median), ${describeRatio(row.ratio, 'requests served', ['more', 'fewer'])}, ${describeRatio(row.cpuRatio, 'CPU per request', ['more', 'less'])}`;
}

/**
 * `Goal (issue 30): metrics on costs at most 5 % of the requests served by
 * metrics off: 0.97× (median), 3.0 % fewer requests served, 2.1 % more CPU
 * per request, met.` for `row`, judged by its median ratio of requests served.
 */
export function servedGoal(row: HeadToHeadRow, goal: ServedGoal): string {
  const met = 1 - row.ratio <= goal.cost;
  return `Goal (issue ${goal.issue}): ${goal.what} costs at most ${goal.cost * 100} % of the requests served by ${goal.against}: ${servedCost(row)}, ${met ? 'met' : 'missed'}.`;
}
