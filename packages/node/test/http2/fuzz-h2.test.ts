// Seeded random HTTP/2 traffic (fuzz-h2-gen.ts) against tsgi in a child
// process (fixtures/h2-child.ts), played by h2-frames.py: per seed, 10
// batches of 20 streams on one connection each. After every batch: every
// stream ended (response, RST_STREAM, or a GOAWAY that covers it), the
// driver did not run out of time, the child still runs with no stack trace
// on its stderr (Node prints an uncaught exception there before it dies),
// and a plain GET on a new connection is answered. The seeds: a fixed list
// plus one random seed per run, printed; TSGI_H2_FUZZ_SEED=<n> runs that
// seed alone.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOUNDS, guarded, killQuietly, until } from '../../../../tools/test-support/index.ts';
import { makePki, type TestPki } from '../tls/certs.ts';
import { type H2Target, PYTHON, runCase } from './conformance.ts';
import { fuzzBatch } from './fuzz-h2-gen.ts';
import { type DriverReport, mismatch } from './judge.ts';
import { type FrameCase, get } from './steps.ts';

const FIXED_SEEDS = [1, 2, 20_261_207];
const BATCHES = 10;
const STREAMS = 20;

const replay = process.env.TSGI_H2_FUZZ_SEED;
const seeds =
  replay !== undefined && replay !== ''
    ? [Number(replay)]
    : [...FIXED_SEEDS, Math.floor(Math.random() * 2 ** 31)];

let pki: TestPki | undefined;
let child: ChildProcess | undefined;
let stdout = '';
let stderr = '';
let target: H2Target;
const tally = new Map<string, number>();

/** A stack frame line, as Node prints an uncaught exception's. */
const STACK = /^\s+at \S/m;

function childState(): string {
  return `exit ${child?.exitCode}, signal ${child?.signalCode}; stderr: ${stderr.slice(0, 3000)}`;
}

/** Ids of the streams the client reset itself: no answer is owed on them. */
function clientResets(batch: FrameCase): Set<number> {
  return new Set(batch.steps.flatMap((s) => (s.op === 'rst' ? [s.stream] : [])));
}

/**
 * True when the client sent WINDOW_UPDATE 0, a connection error on Node 20
 * even on a stream: the server closes the connection, and its GOAWAY may be
 * lost to the TCP reset the client's later frames cause.
 */
function sentConnectionError(batch: FrameCase): boolean {
  return batch.steps.some((s) => s.op === 'window_update' && s.increment === 0);
}

/**
 * The streams of `batch` that did not end: neither answered nor reset, nor
 * covered by a GOAWAY, nor ended by the connection closing after the
 * client's own connection error.
 */
function lostStreams(batch: FrameCase, report: DriverReport): number[] {
  const opened = new Set(batch.steps.flatMap((s) => (s.op === 'headers' ? [s.stream] : [])));
  const reset = clientResets(batch);
  const goaway = report.goaway ?? null;
  const closedOnError = report.closed === true && sentConnectionError(batch);
  return [...opened].filter((id) => {
    if (reset.has(id) || closedOnError) return false;
    const seen = report.streams?.[String(id)];
    if (seen?.endStream || seen?.reset) return false;
    // A connection error ends every stream; a graceful GOAWAY only those above its last id.
    if (goaway !== null && (goaway.code !== 'NO_ERROR' || id > goaway.lastStream)) return false;
    return true;
  });
}

function count(report: DriverReport): void {
  const add = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);
  for (const seen of Object.values(report.streams ?? {})) {
    if (seen.reset) add(`RST_STREAM ${seen.reset}`);
    else if (seen.status) add(`${seen.status}`);
  }
  if (report.goaway) add(`GOAWAY ${report.goaway.code}`);
  else if (report.closed) add('closed without GOAWAY');
}

beforeAll(async () => {
  if (!existsSync(PYTHON))
    throw new Error(`${PYTHON} is missing: see scripts/install-system-deps.sh`);
  pki = await makePki();
  await pki.issue('server', 'localhost');
  child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'test/http2/fixtures/h2-child.ts',
      pki.path('server.pem'),
      pki.path('server.key'),
    ],
    { cwd: new URL('../..', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  await until(
    () => {
      if (child?.exitCode !== null || child.signalCode !== null)
        throw new Error(`the tsgi child ended before listening: ${childState()}`);
      return /^\{"port":\d+\}$/m.test(stdout);
    },
    { what: 'the tsgi child to print its port', ms: BOUNDS.process, details: childState },
  );
  const port = (JSON.parse(/^\{"port":\d+\}$/m.exec(stdout)![0]) as { port: number }).port;
  target = { port, tls: true, close: async () => undefined };
});

afterAll(async () => {
  await guarded(
    () => undefined,
    async () => {
      if (child === undefined) return;
      killQuietly(child.pid, 'SIGTERM', false);
      await until(() => child?.exitCode !== null || child.signalCode !== null, {
        what: 'the tsgi child to exit',
        ms: BOUNDS.process,
        details: childState,
      });
    },
    () => pki?.remove(),
  );
  const errorLines = stdout.split('\n').filter((line) => line.startsWith('errors: ')).length;
  console.log(
    `HTTP/2 fuzz, seeds ${seeds.join(', ')}: ${[...tally].map(([k, n]) => `${k} ×${n}`).join(', ')}; ${errorLines} error-log lines`,
  );
});

describe('random HTTP/2 traffic against tsgi in a child process', () => {
  it.each(seeds)('seed %i: every stream ends, the server stays up', async (seed) => {
    console.log(`HTTP/2 fuzz seed ${seed} (replay: TSGI_H2_FUZZ_SEED=${seed})`);
    for (let batch = 0; batch < BATCHES; batch++) {
      const frames = fuzzBatch(seed, batch, STREAMS);
      const report = await runCase(target, frames);
      count(report);
      const where = `seed ${seed} batch ${batch}`;
      const detail = () => `${where}\n${JSON.stringify(report).slice(0, 4000)}`;
      expect(child?.exitCode ?? child?.signalCode ?? null, childState()).toBeNull();
      expect(STACK.test(stderr), `a stack trace on stderr after ${where}: ${stderr}`).toBe(false);
      expect(report.error, detail()).toBeNull();
      expect(report.timedOut, `the driver ran out of time: ${detail()}`).toBe(false);
      expect(lostStreams(frames, report), `streams left open: ${detail()}`).toEqual([]);
      const alive: FrameCase = {
        name: `health-${seed}-${batch}`,
        section: '8.1',
        title: 'a plain GET',
        steps: [get(1)],
        rfc: { response: { stream: 1, status: 200, body: 'read 0' } },
      };
      const health = await runCase(target, alive);
      expect(
        mismatch(alive.rfc, health),
        `no answer after ${where}: ${JSON.stringify(health)}`,
      ).toBeUndefined();
    }
  });
});
