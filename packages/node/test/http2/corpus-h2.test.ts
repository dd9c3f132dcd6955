// The HTTP/1.1 framing corpus over HTTP/2: every corpus case is translated
// into HTTP/2 frames (corpus-h2-request-line.ts, -fields.ts, -body.ts) or
// listed with why it has no HTTP/2 form (corpus-h2-listed.ts). Each
// translation is played by h2-frames.py against tsgi (ALPN h2) and bare
// node:http2 on the same certificate; tsgi must do what its data says, and
// never accept what bare node:http2 refuses as a malformed request.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guarded } from '../../../../tools/test-support/index.ts';
import { corpus } from '../framing/corpus/index.js';
import { NODE_MAJOR } from './cases.ts';
import { PYTHON, runCase } from './conformance.ts';
import { bodyH2, h2OnlyBodyCases } from './corpus-h2-body.ts';
import { fieldsH2, h2OnlyFieldCases } from './corpus-h2-fields.ts';
import { listedH2 } from './corpus-h2-listed.ts';
import { H2_RECORDED_ON, type H2Translation } from './corpus-h2-map.ts';
import { requestLineH2 } from './corpus-h2-request-line.ts';
import { type CorpusTargets, startCorpusTargets } from './corpus-h2-servers.ts';
import { type DriverReport, mismatch } from './judge.ts';
import type { FrameCase } from './steps.ts';

const translated: Record<string, H2Translation> = { ...requestLineH2, ...fieldsH2, ...bodyH2 };
const runs: Array<[string, H2Translation]> = [
  ...Object.entries(translated),
  ...Object.entries(h2OnlyFieldCases),
  ...Object.entries(h2OnlyBodyCases),
];

/** True when the app behind the server was reached: a 2xx answer on stream 1. */
function reached(report: DriverReport): boolean {
  const status = report.streams?.['1']?.status ?? 0;
  return status >= 200 && status < 300;
}

/** What a report shows, in one line, for failure messages and the summary. */
function shown(report: DriverReport): string {
  const one = report.streams?.['1'];
  if (report.goaway) return `GOAWAY ${report.goaway.code}`;
  if (one?.reset) return `RST_STREAM ${one.reset}${one.status ? ` after ${one.status}` : ''}`;
  if (one?.status) return `${one.status}${one.endStream ? '' : ' (not ended)'}`;
  return report.timedOut ? 'nothing (timed out)' : 'nothing';
}

const outcomes: string[] = [];
let targets: CorpusTargets | undefined;

beforeAll(async () => {
  if (!existsSync(PYTHON))
    throw new Error(`${PYTHON} is missing: see scripts/install-system-deps.sh`);
  targets = await startCorpusTargets();
});

afterAll(async () => {
  await guarded(
    () => undefined,
    () => targets?.close(),
  );
  console.log(
    `framing corpus over HTTP/2: ${corpus.length} cases, ${Object.keys(translated).length} translated, ${
      Object.keys(listedH2).length
    } listed, ${runs.length - Object.keys(translated).length} HTTP/2-only\n${outcomes.join('\n')}`,
  );
});

describe('the framing corpus over HTTP/2', () => {
  it('places every corpus case once: translated or listed with a reason', () => {
    const names = corpus.map((c) => c.name);
    const placed = [...Object.keys(translated), ...Object.keys(listedH2)];
    const unplaced = names.filter((name) => !placed.includes(name));
    const unknown = placed.filter((name) => !names.includes(name));
    const twice = Object.keys(translated).filter((name) => name in listedH2);
    expect({ unplaced, unknown, twice }).toEqual({ unplaced: [], unknown: [], twice: [] });
    for (const reason of Object.values(listedH2)) expect(reason.length).toBeGreaterThan(10);
  });

  it.each(runs)('%s', async (name, translation) => {
    const frameCase = (rfc: FrameCase['rfc']): FrameCase => ({
      name,
      section: '8',
      title: translation.title,
      steps: translation.steps,
      until: ['end:1', 'rst:1'],
      rfc,
    });
    const live = targets as CorpusTargets;
    const [tsgi, bare] = await Promise.all([
      runCase(live.tsgi, frameCase(translation.tsgi)),
      runCase(live.bare, frameCase(translation.node)),
    ]);
    const notes = [translation.gap, translation.belowBare].filter((n) => n !== undefined);
    outcomes.push(
      `  ${name}: tsgi ${shown(tsgi)}, bare node:http2 ${shown(bare)}${notes.map((n) => ` [${n}]`).join('')}`,
    );
    const detail = `${translation.title}\ntsgi: ${JSON.stringify(tsgi)}\nbare: ${JSON.stringify(bare)}`;
    // tsgi ≥ bare: a request bare node:http2 refuses never reaches tsgi's app,
    // but for the differences on record (belowBare), which must still hold.
    const below = reached(tsgi) && !reached(bare);
    expect(below, `tsgi reached the app where bare did not: ${detail}`).toBe(
      translation.belowBare !== undefined,
    );
    const off = mismatch(translation.tsgi, tsgi);
    if (NODE_MAJOR === H2_RECORDED_ON || off === undefined) {
      expect(off, `tsgi: ${detail}`).toBeUndefined();
    } else {
      // Another Node's nghttp2 may refuse a shape itself (Node 22+: userinfo
      // in :authority, a content-length below the DATA): then both servers end
      // it the same way, before any app.
      expect(reached(tsgi), `tsgi: ${off}: ${detail}`).toBe(false);
      expect(shown(tsgi), `tsgi as recorded or as this nghttp2 refuses it: ${detail}`).toBe(
        shown(bare),
      );
    }
    if (NODE_MAJOR === H2_RECORDED_ON) {
      expect(mismatch(translation.node, bare), `bare node:http2: ${detail}`).toBeUndefined();
    }
    if (translation.seen !== undefined) {
      expect(JSON.parse(tsgi.streams?.['1']?.body ?? 'null'), detail).toMatchObject(
        translation.seen,
      );
    }
  });
});
