/**
 * Runs conformance cases against an echo server, one connection per case,
 * one case at a time, and reports a result per case.
 */
import { bound } from '../../../../../tools/test-support/index.ts';
import type { ConformanceCase, Grade } from './case.js';
import { ALL_CASES } from './cases.js';
import { RawConnection } from './client.js';
import { sameEvents } from './events.js';
import { type CaseResult, gradeCase, notRun } from './grade.js';

/** Options of {@link runConformance}. */
export interface ConformanceOptions {
  /**
   * Which cases: ids or patterns with `*` (`"6.4.*"`, `"9.*"`), as in
   * Autobahn's `cases`. Default: every case.
   */
  cases?: readonly string[];
  /** Cases to leave out, same patterns. */
  exclude?: readonly string[];
  /** The bound of each wait inside a case, unscaled ms (default 5000). */
  waitMs?: number;
  /**
   * The bound of the whole run, unscaled ms (default 100_000, under vitest's
   * per-test limit): cases left when it runs out are not run and graded FAILED.
   */
  totalMs?: number;
}

function matcher(patterns: readonly string[]): (id: string) => boolean {
  const regexes = patterns.map(
    (pattern) => new RegExp(`^${pattern.replace(/\./g, '\\.').replace(/\*/g, '.*')}$`),
  );
  return (id) => regexes.some((regex) => regex.test(id));
}

/** The cases `options` select, in suite order. */
export function selectCases(options: ConformanceOptions = {}): ConformanceCase[] {
  const wanted = matcher(options.cases ?? ['*']);
  const unwanted = matcher(options.exclude ?? []);
  return ALL_CASES.filter((spec) => wanted(spec.id) && !unwanted(spec.id));
}

async function runCase(url: string, spec: ConformanceCase, ms: number): Promise<CaseResult> {
  const started = Date.now();
  let connection: RawConnection;
  try {
    connection = await RawConnection.open(url, ms);
  } catch (error) {
    const why = `the opening handshake failed: ${(error as Error).message}`;
    return notRun(spec, why, Date.now() - started);
  }
  const notes: string[] = [];
  // The hard bound of the whole case: a write the server never reads cannot hang it.
  const deadline = setTimeout(() => {
    notes.push(`the case did not finish within ${ms * 4} ms`);
    connection.destroy();
  }, ms * 4);
  try {
    await spec.run(connection, ms).catch((error: Error) => notes.push(`run: ${error.message}`));
    await conclude(spec, connection, ms, notes);
    await connection.finish(ms);
  } finally {
    clearTimeout(deadline);
  }
  return gradeCase(spec, connection, notes, Date.now() - started);
}

/** Waits for the expected outcome, then starts the close (or waits for the server to). */
async function conclude(
  spec: ConformanceCase,
  connection: RawConnection,
  ms: number,
  notes: string[],
) {
  const outcomes = Object.values(spec.expected);
  const matched = () => outcomes.some((events) => sameEvents(connection.events, events ?? []));
  if (spec.close.closedByMe) {
    if (spec.sendsClose) return;
    const settled = await connection.until(() => matched() || !connection.open, ms);
    if (!settled) notes.push(`no expected outcome within ${ms} ms`);
    if (connection.open) await connection.sendClose(1000);
    return;
  }
  // The server must fail the connection: wait for its close frame or its end of TCP.
  if (!(await connection.until(() => !connection.open, ms)) && connection.open)
    await connection.sendClose(1000);
}

/**
 * Runs the selected cases against the echo server at `url` (ws://…) and
 * returns a result per case. Every wait is bounded, each case by four waits,
 * and the whole run by `totalMs`.
 */
export async function runConformance(
  url: string,
  options: ConformanceOptions = {},
): Promise<CaseResult[]> {
  const ms = bound(options.waitMs ?? 5000);
  const budget = bound(options.totalMs ?? 100_000);
  const end = Date.now() + budget;
  const results: CaseResult[] = [];
  for (const spec of selectCases(options)) {
    if (Date.now() > end) {
      results.push(notRun(spec, `the run's bound of ${budget} ms ran out before this case`));
      continue;
    }
    results.push(await runCase(url, spec, ms));
  }
  return results;
}

const GRADES: readonly Grade[] = ['OK', 'NON-STRICT', 'INFORMATIONAL', 'UNIMPLEMENTED', 'FAILED'];

/** One line: how many cases got each grade, e.g. `312 cases: 300 OK, 9 NON-STRICT, …`. */
export function formatSummary(results: readonly CaseResult[]): string {
  const counts = GRADES.map(
    (grade) => `${results.filter((result) => result.grade === grade).length} ${grade}`,
  );
  return `${results.length} cases: ${counts.join(', ')}`;
}

/** One line per case with `grade` (default the failed ones), with why. */
export function formatCases(results: readonly CaseResult[], grade: Grade = 'FAILED'): string {
  return results
    .filter((result) => result.grade === grade)
    .map(
      (r) =>
        `${r.id} ${r.grade} (${r.description}): events ${r.behavior}: ${r.result}; ` +
        `close ${r.closeBehavior}: ${r.closeResult} [close code ${r.close.code ?? 'none'}]`,
    )
    .join('\n');
}
