/**
 * TSGI on Bun: a TSGI app answering `{"hello":"world"}` (@tsgi/spec's
 * jsonResponse) run by `toFetchHandler` on `Bun.serve`, head to head
 * (bench/head-to-head.ts) with a hand-written Bun fetch handler answering the
 * same bytes (`fetch-bun-h2h`). Both servers run under the pinned Bun of
 * `bun-binary.ts`. Goal: at least 0.8× its requests per CPU-second. A third
 * row, the hand-written handler doing the TSGI app's own work (bytes by
 * Buffer.from, its own Content-Length), shows what is left to the adapter.
 *
 * Run `pnpm --filter @tsgi/fetch bench` after `pnpm build`;
 * BENCH_H2H_DURATION / BENCH_H2H_ROUNDS / BENCH_CONNECTIONS adjust it.
 */
import { runHeadToHead } from '../../../bench/head-to-head.ts';
import { findBun } from './bun-binary.ts';
import { goalLine, server, versionOf } from './contenders.ts';

const bun = findBun();
if (typeof bun === 'string') {
  console.log(`\n## toFetchHandler on Bun.serve\n\nskipped: ${bun}`);
} else {
  const runtime = `Bun ${bun.version}`;
  const ON_TSGI = 'toFetchHandler on Bun.serve';
  await runHeadToHead({
    title:
      'A TSGI app on Bun.serve (toFetchHandler) head to head with a hand-written fetch handler',
    results: 'fetch-bun-h2h',
    contenders: [
      server('Bun.serve, hand-written', 'bun-fetch.mjs', runtime, {}, bun.path),
      server(
        ON_TSGI,
        'bun-tsgi.mjs',
        `${versionOf('@tsgi/fetch')} + ${versionOf('@tsgi/spec')}`,
        {},
        bun.path,
      ),
      server(
        'Bun.serve, hand-written, bytes',
        'bun-fetch.mjs',
        'the same handler, encoding as the TSGI app does',
        { BENCH_BYTES: '1' },
        bun.path,
      ),
    ],
    notes: [
      `- both under ${runtime}; the same bytes on the wire: \`{"hello":"world"}\` serialised per request, \`Content-Type: application/json; charset=utf-8\`, \`Content-Length: 17\`; the TSGI app answers with @tsgi/spec's \`jsonResponse\`, the hand-written handler with \`new Response(JSON.stringify(…), { headers })\``,
      '- "hand-written, bytes": the hand-written handler doing the TSGI app\'s own work, `Buffer.from` of the JSON and its own `Content-Length`, for reference',
    ],
    conclusions: (rows) => [
      'From the medians above; the goal: at least 0.8× the requests per CPU-second of the hand-written handler.',
      '',
      goalLine(
        rows.find((row) => row.name === ON_TSGI),
        'the hand-written handler',
        0.8,
      ),
    ],
  });
}
