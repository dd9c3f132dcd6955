import { corpus, type FramingCase, RECORDED_ON } from './corpus/index.js';

/** How the errors page writes an outcome: the statuses in order, or that nothing came back. */
function outcome(statuses: readonly number[]): string {
  if (statuses.length === 0) return 'connection dropped, no answer';
  return statuses.map(String).join(', ');
}

/**
 * The errors page's "What we reject beyond Node" table: one row per corpus case
 * marked with raw `node:http`'s differing outcome. `table.test.ts` checks
 * that the page holds exactly this text between its markers.
 */
export function beyondNodeTable(cases: readonly FramingCase[] = corpus): string {
  const rows = cases
    .filter((c) => c.node !== undefined)
    .map((c) => `| ${c.name} | ${c.rfc} | ${outcome(c.tsgi)} | ${outcome(c.node ?? [])} |`);
  return [
    `| request | RFC | @tsgi/node | raw node:http (Node ${RECORDED_ON}) |`,
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}
