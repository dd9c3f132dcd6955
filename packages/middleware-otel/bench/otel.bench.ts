/**
 * The cost of @tsgi/middleware-otel over HTTP: `GET /items/7` through
 * @tsgi/router on @tsgi/node, with otel() outermost, head to head with the
 * same app without it (bench/server.mjs, built packages). Two rows: no SDK
 * registered (the API's no-op tracer provider; goal, issue 30: at most 5 %
 * fewer requests served) and the SDK's BatchSpanProcessor with an exporter
 * that discards (reported, not held to the goal). Run
 * `pnpm --filter @tsgi/middleware-otel bench` after `pnpm build`; results go
 * to bench/RESULTS.md#middleware-otel-h2h.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { servedCost, servedGoal } from '../../../bench/goal.ts';
import type { Contender } from '../../../bench/harness.ts';
import { type HeadToHeadRow, runHeadToHead } from '../../../bench/head-to-head.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const versionOf = (pkg: string) =>
  (
    JSON.parse(readFileSync(`${here}../node_modules/${pkg}/package.json`, 'utf8')) as {
      version: string;
    }
  ).version;
const own = JSON.parse(readFileSync(`${here}../package.json`, 'utf8')) as { version: string };

const contender = (name: string, which: string, version: string): Contender => ({
  name,
  command: [process.execPath, 'server.mjs'],
  cwd: here,
  env: { BENCH_OTEL: which },
  version,
});

const NOOP = 'otel, no SDK (no-op tracer provider)';
const BATCH = 'otel, SDK with BatchSpanProcessor';

/** The goal line for the no-op row, and the batch row's cost reported beside it. */
function verdicts(rows: HeadToHeadRow[]): string[] {
  const lines: string[] = [];
  const noop = rows.find((row) => row.name === NOOP);
  const batch = rows.find((row) => row.name === BATCH);
  if (noop !== undefined) {
    lines.push(
      servedGoal(noop, {
        issue: 30,
        what: 'otel() with the no-op tracer provider',
        against: 'the app without it',
        cost: 0.05,
      }),
    );
  }
  if (batch !== undefined) {
    lines.push(
      '',
      `Reported, not held to the goal: otel() with the SDK's BatchSpanProcessor against the app without it: ${servedCost(batch)}.`,
    );
  }
  return lines;
}

await runHeadToHead({
  title: '@tsgi/middleware-otel head to head with the app without it (GET /items/7 on @tsgi/node)',
  results: 'middleware-otel-h2h',
  path: '/items/7',
  contenders: [
    contender(
      'no otel',
      'none',
      `@tsgi/node ${versionOf('@tsgi/node')} + @tsgi/router ${versionOf('@tsgi/router')}`,
    ),
    contender(
      NOOP,
      'noop',
      `@tsgi/middleware-otel ${own.version} + @opentelemetry/api ${versionOf('@opentelemetry/api')}`,
    ),
    contender(
      BATCH,
      'batch',
      `the same + @opentelemetry/sdk-trace-base ${versionOf('@opentelemetry/sdk-trace-base')}`,
    ),
  ],
  notes: [
    '- the app: `router({ "/items/:id": … })` answering `{"id":"7"}` with jsonResponse; otel() wraps it outermost; requests carry no `traceparent`',
    '- no SDK: nothing registered with @opentelemetry/api, so its global tracer provider, propagator and context manager are its no-op ones; the span does not record',
    '- SDK: `BasicTracerProvider` (default sampler: every span recorded), `W3CTraceContextPropagator`, `AsyncLocalStorageContextManager`, and a `BatchSpanProcessor` at its defaults (queue 2,048 spans, batches of 512 every 5 s; spans beyond a full queue are dropped) whose exporter discards each batch and reports success',
  ],
  conclusions: verdicts,
});
