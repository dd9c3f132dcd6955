// "Never lose a stream because of a header the app sent", over HTTP/2: an
// app (without validate(), which would refuse them first) sends each kind
// of bad response header of app-headers-h2.ts on a stream of its own, all
// on one connection played by h2-frames.py; each stream completes (the
// response with the field dropped, or tsgi's 500), the connection carries
// on, and the bad field never goes out as given.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guarded } from '../../../../tools/test-support/index.ts';
import { makePki, type TestPki } from '../tls/certs.ts';
import { APP_HEADER_KINDS, badHeadersApp } from './app-headers-h2.ts';
import { type H2Target, PYTHON, runCase } from './conformance.ts';
import { startTsgi } from './corpus-h2-servers.ts';
import type { DriverReport } from './judge.ts';
import { type FrameCase, get, type Step } from './steps.ts';

let pki: TestPki | undefined;
let target: H2Target | undefined;
let report: DriverReport;

/** Stream id of kind `index`; the last stream, after every kind, is a plain GET. */
const streamOf = (index: number) => 1 + 2 * index;
const LAST = streamOf(APP_HEADER_KINDS.length);

beforeAll(async () => {
  if (!existsSync(PYTHON))
    throw new Error(`${PYTHON} is missing: see scripts/install-system-deps.sh`);
  pki = await makePki();
  await pki.issue('server', 'localhost');
  target = await startTsgi(pki, badHeadersApp);
  const steps: Step[] = APP_HEADER_KINDS.flatMap((_, index): Step[] => [
    get(streamOf(index), `/bad/${index}`),
    { op: 'wait', for: 'done', stream: streamOf(index) },
  ]);
  const all: FrameCase = {
    name: 'app-headers',
    section: '8.2',
    title: 'every kind of bad response header, one stream each, then a plain GET',
    steps: [...steps, get(LAST, '/'), { op: 'wait', for: 'done', stream: LAST }],
    until: [],
    rfc: { ignored: true },
  };
  report = await runCase(target, all);
});

afterAll(() =>
  guarded(
    () => undefined,
    () => target?.close(),
    () => pki?.remove(),
  ),
);

describe('bad response headers from the app, over HTTP/2', () => {
  it('leave the connection open: no GOAWAY, the driver never ran out of time', () => {
    expect(report.error).toBeNull();
    expect(report.goaway ?? null, JSON.stringify(report.goaway)).toBeNull();
    expect(report.closed).toBe(false);
    expect(report.timedOut).toBe(false);
    expect(report.streams?.[String(LAST)]).toMatchObject({ status: 200, endStream: true });
  });

  it.each(APP_HEADER_KINDS.map((kind, index) => [kind.name, kind, index] as const))(
    '%s: the stream completes',
    (_name, kind, index) => {
      const seen = report.streams?.[String(streamOf(index))];
      const status = kind.outcome === 'sent' ? 200 : 500;
      expect(seen, JSON.stringify(seen)).toMatchObject({ status, endStream: true, reset: null });
      if (kind.outcome === 'sent') expect(seen?.body).toBe('ok');
      if (kind.absent !== undefined)
        expect(Object.keys(seen?.headers ?? {})).not.toContain(kind.absent);
    },
  );
});
