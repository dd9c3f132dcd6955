/**
 * @tsgi/node over TLS, head to head with bare Node servers answering the same
 * bytes ("hello world", text/plain; charset=utf-8, Content-Length 11), each
 * in its own child process (bench/https/), with a throwaway self-signed
 * certificate made by openssl at the start and removed at the end:
 *
 * - HTTP/2: `serve(app, { certfile, keyfile })` (ALPN offers h2 and
 *   http/1.1, h2 chosen) against a bare `http2.createSecureServer`, driven by
 *   h2load (`-c16 -m10 -t1`, bench/h2load.ts) (RESULTS.md#node-h2). A control
 *   row serves the same bare server from a process that imported @tsgi/node
 *   and never uses it; a second table holds @tsgi/node against that control
 *   (RESULTS.md#node-h2-loaded): loading a library's code makes node's own
 *   HTTP/2 work dearer, and the two tables tell that from @tsgi/node's
 *   per-request work;
 * - HTTPS/1.1: `serve(app, { certfile, keyfile, httpProtocols: ['http/1.1'] })`
 *   against a bare `https.createServer`, driven by wrk over https
 *   (RESULTS.md#node-https1).
 *
 * The goal (issue 28): at least 0.9× the requests served by the bare server.
 * Method of bench/head-to-head.ts. Run with `pnpm --filter @tsgi/node bench:https`
 * (after a build).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { servedCost, servedGoal } from '../../../bench/goal.ts';
import { h2load } from '../../../bench/h2load.ts';
import type { Contender } from '../../../bench/harness.ts';
import { type HeadToHeadRow, runHeadToHead } from '../../../bench/head-to-head.ts';
import { type BenchCertificate, withCertificate } from './https/certificate.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const own = JSON.parse(readFileSync(`${here}../package.json`, 'utf8')) as { version: string };

/** A server of bench/https/ speaking TLS with the bench's certificate. */
const server = (
  certificate: BenchCertificate,
  name: string,
  file: string,
  version: string,
  env: Record<string, string> = {},
): Contender => ({
  name,
  command: [process.execPath, `https/${file}`],
  cwd: here,
  scheme: 'https',
  env: { BENCH_CERTFILE: certificate.certfile, BENCH_KEYFILE: certificate.keyfile, ...env },
  version,
});

/** The bare HTTP/2 server in a process that imported @tsgi/node and never uses it. */
const LOADED = 'node:http2, @tsgi/node loaded';

/** What the control row shows, under a table that has it. */
const loadedLine = (rows: HeadToHeadRow[]): string[] =>
  rows
    .filter((row) => row.name === LOADED)
    .map(
      (row) =>
        `The same bare server in a process that imported @tsgi/node, unused: ${servedCost(row)}. That is what holding the library's code costs node's own HTTP/2 work; RESULTS.md#node-h2-loaded holds @tsgi/node against it.`,
    );

/** Issue 28's goal line for the @tsgi/node row: at most 10 % fewer requests served. */
const goal =
  (against: string) =>
  (rows: HeadToHeadRow[]): string[] =>
    rows
      .filter((row) => row.name === '@tsgi/node')
      .map((row) => servedGoal(row, { issue: 28, what: '@tsgi/node', against, cost: 0.1 }));

const certificateNote =
  '- TLS 1.3 with a self-signed P-256 certificate made by openssl for the run; both servers send `Content-Type: text/plain; charset=utf-8`, `Content-Length: 11`, a date and `hello world`';

await withCertificate(async (certificate) => {
  const load = h2load({ streams: 10 });
  if (load === undefined) {
    console.log('\n## @tsgi/node HTTP/2\n\nskipped: needs h2load (apt-get install nghttp2-client)');
  } else {
    const bare = server(
      certificate,
      'node:http2',
      'node-h2.mjs',
      `node:http2 createSecureServer ${process.version}`,
    );
    const loaded = server(
      certificate,
      LOADED,
      'node-h2.mjs',
      `node:http2 createSecureServer ${process.version}, @tsgi/node ${own.version} imported`,
      { BENCH_IMPORT_TSGI: '1' },
    );
    const tsgi = server(
      certificate,
      '@tsgi/node',
      'tsgi.mjs',
      `@tsgi/node ${own.version} serve(app, { certfile, keyfile })`,
    );
    const h2Note =
      '- node:http2: `createSecureServer` (ALPN h2 only), one `stream.respond()` and `stream.end(bytes)` per request; @tsgi/node: `serve()` with its default `httpProtocols` (ALPN offers h2 and http/1.1; h2load takes h2)';
    const loadedNote = `- ${LOADED}: the node:http2 server in a process that first imports @tsgi/node's build (\`BENCH_IMPORT_TSGI=1\`) and never calls it`;
    await runHeadToHead({
      title: '@tsgi/node HTTP/2 over TLS, head to head with a bare node:http2 secure server',
      results: 'node-h2',
      load,
      connections: 16,
      contenders: [bare, loaded, tsgi],
      notes: [certificateNote, h2Note, loadedNote],
      conclusions: (rows) => [
        ...goal('a bare node:http2 secure server')(rows),
        ...loadedLine(rows),
      ],
    });
    await runHeadToHead({
      title:
        '@tsgi/node HTTP/2 over TLS, head to head with node:http2 in a process that loaded @tsgi/node',
      results: 'node-h2-loaded',
      load,
      connections: 16,
      contenders: [loaded, tsgi],
      notes: [certificateNote, h2Note, loadedNote],
      conclusions: (rows) =>
        rows
          .filter((row) => row.name === '@tsgi/node')
          .map(
            (row) =>
              `@tsgi/node's per-request work, against the same server code held in both processes: ${servedCost(row)}. Reported beside issue 28's goal, which is held against the bare server (RESULTS.md#node-h2).`,
          ),
    });
  }
  await runHeadToHead({
    title: '@tsgi/node HTTPS/1.1, head to head with a bare node:https server',
    results: 'node-https1',
    contenders: [
      server(certificate, 'node:https', 'node-https.mjs', `node:https ${process.version}`),
      server(
        certificate,
        '@tsgi/node',
        'tsgi.mjs',
        `@tsgi/node ${own.version} serve(app, { certfile, keyfile, httpProtocols: ['http/1.1'] })`,
        { BENCH_HTTP_PROTOCOLS: 'http/1.1' },
      ),
    ],
    notes: [
      certificateNote,
      '- wrk over https (it offers no ALPN), keep-alive: each wrk opens its connections, one TLS handshake each, at the start of its run',
    ],
    conclusions: goal('a bare node:https server'),
  });
});
