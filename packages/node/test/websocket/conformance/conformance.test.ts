import { describe, expect, it } from 'vitest';
import { guarded } from '../../../../../tools/test-support/index.ts';
import { type EchoServer, startTsgiEcho, startWsReference } from '../servers.js';
import { ALL_CASES } from './cases.js';
import { encodeFrame, FrameReader, OP } from './frames.js';
import type { CaseResult } from './grade.js';
import { formatCases, formatSummary, runConformance, selectCases } from './runner.js';
import { UTF8_GROUPS } from './utf8-sequences.js';

/**
 * Runs `cases` (default all) against a server `start` brings up, and closes it
 * after. `problems` holds what the server reported and any exception thrown
 * uncaught while the cases ran (an error event nobody listens to would crash
 * a real server process).
 */
async function runAgainst(
  start: () => Promise<EchoServer>,
  cases?: string[],
): Promise<{ results: CaseResult[]; problems: string }> {
  const uncaught: string[] = [];
  const onUncaught = (error: Error) => uncaught.push(`uncaught: ${error.message}`);
  process.on('uncaughtException', onUncaught);
  const server = await start();
  let problems = '';
  const results = await guarded(
    () => runConformance(server.url, cases ? { cases } : {}),
    () => {
      problems = [server.problems(), ...uncaught].filter(Boolean).join('\n');
    },
    () => server.close(),
    () => process.off('uncaughtException', onUncaught),
  );
  return { results, problems };
}

function gradesOf(results: CaseResult[]): Record<string, string> {
  return Object.fromEntries(results.map((result) => [result.id, result.grade]));
}

describe('the conformance suite itself', () => {
  it('numbers its cases as Autobahn does, each id once', () => {
    const ids = ALL_CASES.map((spec) => spec.id);
    expect(new Set(ids).size).toBe(ids.length);
    const sections = new Set(ids.map((id) => id.split('.')[0]));
    expect([...sections]).toEqual(['1', '2', '3', '4', '5', '6', '7', '9', '10']);
    expect(selectCases({ cases: ['6.4.*'] }).map((spec) => spec.id)).toEqual([
      '6.4.1',
      '6.4.2',
      '6.4.3',
      '6.4.4',
    ]);
  });

  it('marks each UTF-8 sequence valid exactly when a strict decoder accepts it', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const disagreements = UTF8_GROUPS.flatMap((group) => group.sequences).filter(
      ({ valid, bytes }) => {
        try {
          decoder.decode(bytes);
          return !valid;
        } catch {
          return valid;
        }
      },
    );
    expect(disagreements.map(({ bytes }) => bytes.toString('hex'))).toEqual([]);
  });

  it('reads back the frames it writes, whatever the chops', () => {
    const payload = Buffer.alloc(70_000, 7);
    const bytes = Buffer.concat([
      encodeFrame({ opcode: OP.binary, payload, mask: false }),
      encodeFrame({ opcode: OP.ping, payload: 'p', mask: true, rsv: 5, fin: true }),
    ]);
    const reader = new FrameReader();
    const frames = [];
    for (let at = 0; at < bytes.length; at += 997)
      frames.push(...reader.push(bytes.subarray(at, at + 997)));
    expect(frames.map((f) => [f.opcode, f.rsv, f.masked, f.payload.length])).toEqual([
      [OP.binary, 0, false, 70_000],
      [OP.ping, 5, true, 1],
    ]);
    expect(frames[0]!.payload.equals(payload)).toBe(true);
    expect(frames[1]!.payload.toString()).toBe('p');
  });

  it('fails a server that skips UTF-8 validation or does not answer pings', async () => {
    // Two ws servers with one of ws's own checks turned off, run side by side.
    const [lax, mute] = await Promise.all([
      runAgainst(() => startWsReference({ skipUTF8Validation: true }), ['6.3.1', '6.5.1']),
      runAgainst(() => startWsReference({ autoPong: false }), ['2.1', '2.7']),
    ]);
    expect(gradesOf(lax.results)).toEqual({ '6.3.1': 'FAILED', '6.5.1': 'OK' });
    expect(lax.results[0]!.result).toContain('not valid UTF-8');
    expect(gradesOf(mute.results)).toEqual({ '2.1': 'FAILED', '2.7': 'OK' });
  });
});

describe('WebSocket conformance (Autobahn|Testsuite sections 1–7, 9 and 10)', () => {
  it('a bare ws echo server on node:http (the reference) passes every case', async () => {
    const { results, problems } = await runAgainst(() => startWsReference());
    console.log(`ws reference: ${formatSummary(results)}`);
    expect(results.length).toBe(ALL_CASES.length);
    expect(formatCases(results, 'FAILED')).toBe('');
    expect(problems).toBe('');
  });

  it("@tsgi/node's serve() with the TSGI echo app passes every case", async () => {
    const { results, problems } = await runAgainst(() => startTsgiEcho());
    console.log(`@tsgi/node: ${formatSummary(results)}`);
    expect(formatCases(results, 'FAILED')).toBe('');
    expect(problems).toBe('');
  });
});
