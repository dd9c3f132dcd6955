/**
 * What the benches of @tsgi/fetch share: where the contender servers live,
 * the versions printed under each table, and the goal line drawn from a row's
 * medians. Each contender is one of `servers/*.mjs`, run from the built
 * packages.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Contender } from '../../../bench/harness.ts';
import type { HeadToHeadRow } from '../../../bench/head-to-head.ts';
import { describeRatio, formatRatio } from '../../../bench/results.ts';

/** The folder of the contender servers. */
export const SERVERS = fileURLToPath(new URL('./servers/', import.meta.url));

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));

/** `name version` of a package @tsgi/fetch depends on (its own copy under node_modules). */
export function versionOf(name: string): string {
  const file = name === '@tsgi/fetch' ? 'package.json' : join('node_modules', name, 'package.json');
  const pkg = JSON.parse(readFileSync(join(PACKAGE, file), 'utf8')) as { version: string };
  return `${name} ${pkg.version}`;
}

/** A contender: `runtime` (Node by default) runs `servers/<file>` with `env`. */
export function server(
  name: string,
  file: string,
  version: string,
  env: Record<string, string> = {},
  runtime: string = process.execPath,
): Contender {
  return { name, command: [runtime, file], cwd: SERVERS, env, version };
}

/**
 * The line that holds a row against its goal, from the medians: requests
 * served, CPU per request, and their quotient, requests per CPU-second, which
 * the goal is about: at least `goal`× the baseline's (more than it when
 * `strictly`).
 */
export function goalLine(
  row: HeadToHeadRow | undefined,
  baseline: string,
  goal: number,
  strictly = false,
): string {
  if (row === undefined) return `- no row to hold against the goal of ${formatRatio(goal)}×`;
  const perCpu = 1 / row.cpuRatio;
  const met = strictly ? perCpu > goal : perCpu >= goal;
  return `- ${row.name}: ${describeRatio(row.ratio, 'requests served', ['more', 'fewer'])} and ${describeRatio(row.cpuRatio, 'CPU per request', ['more', 'less'])} than ${baseline}, so ${formatRatio(perCpu)}× its requests per CPU-second: goal ${strictly ? 'above' : 'at least'} ${formatRatio(goal)}× ${met ? 'met' : 'missed'}`;
}
