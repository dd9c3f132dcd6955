/**
 * The workloads of the router benchmark (router.bench.ts), each run in a child
 * process of its own by bench/in-process.ts: one router, built from one route
 * set, looking up one case's paths in turn. The workload name is JSON:
 * `{"router": "<contender name>", "set": "<route set name>", "lookup": "<case name>"}`.
 * Every answer is checked against the expected pattern before anything is timed.
 */
import { do_not_optimize } from 'mitata';
import type { Operation } from '../../../bench/in-process.ts';
import { contenders } from './peers.js';
import { routeSets } from './route-sets.js';

/** The workload name of `router` looking up `lookup` of route set `set`. */
export function workloadName(router: string, set: string, lookup: string): string {
  return JSON.stringify({ router, set, lookup });
}

/** Builds the router and its lookup loop (one call: every path of the case once). */
export function prepare(workload: string): Operation {
  const { router, set, lookup } = JSON.parse(workload) as Record<string, string>;
  const contender = contenders.find((c) => c.name === router);
  const routeSet = routeSets.find((s) => s.name === set);
  const benchCase = routeSet?.cases.find((c) => c.name === lookup);
  if (contender === undefined || routeSet === undefined || benchCase === undefined)
    throw new Error(`no router workload ${workload}`);
  const find = contender.build(routeSet.routes);
  for (const { method, path, expect } of benchCase.lookups) {
    const got = contender.patternOf(find(method, path));
    if (got !== expect)
      throw new Error(`${contender.name}: ${method} ${path} found ${got}, expected ${expect}`);
  }
  const methods = benchCase.lookups.map((l) => l.method);
  const paths = benchCase.lookups.map((l) => l.path);
  const n = paths.length;
  return {
    run() {
      for (let i = 0; i < n; i++) do_not_optimize(find(methods[i] as string, paths[i] as string));
    },
    weight: n,
  };
}
