/**
 * Runs the frame cases of `cases.ts` against any HTTP/2 server, one
 * `h2-frames.py` process per case.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOUNDS, bound, guarded } from '../../../../tools/test-support/index.ts';
import { CASES } from './cases.ts';
import { type DriverReport, mismatch } from './judge.ts';
import { type FrameCase, get, type Outcome, SCHEME } from './steps.ts';

/** Debian's python, which has python3-h2 (the `python3` on PATH may not). */
export const PYTHON = '/usr/bin/python3';
const DRIVER = fileURLToPath(new URL('./h2-frames.py', import.meta.url));

/** A server under test, listening on 127.0.0.1. */
export interface H2Target {
  port: number;
  /** TLS with ALPN h2; otherwise cleartext HTTP/2 with prior knowledge. */
  tls: boolean;
  close: () => Promise<void>;
}

/** How a case where bare node:http2 deviates from the RFC is judged. */
export type Deviations = 'node' | 'rfc-or-node';

/** Plays `frameCase` against `target` and returns the driver's report. */
export function runCase(target: H2Target, frameCase: FrameCase): Promise<DriverReport> {
  const scheme = JSON.stringify(target.tls ? 'https' : 'http');
  const input = JSON.stringify(frameCase).replaceAll(JSON.stringify(SCHEME), scheme);
  const seconds = String(bound(BOUNDS.short) / 1000);
  const args = [
    DRIVER,
    '127.0.0.1',
    String(target.port),
    target.tls ? 'tls' : 'h2c',
    frameCase.name,
    seconds,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: bound(BOUNDS.process),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0 && stdout.trim() !== '') resolve(JSON.parse(stdout) as DriverReport);
      else reject(new Error(`h2-frames.py ${frameCase.name} exited ${code ?? signal}\n${stderr}`));
    });
    child.stdin.end(input);
  });
}

/** The outcomes a case passes with, given how deviations are judged. */
export function acceptedOutcomes(frameCase: FrameCase, deviations: Deviations): Outcome[] {
  if (frameCase.node === undefined) return [frameCase.rfc];
  return deviations === 'node' ? [frameCase.node.outcome] : [frameCase.rfc, frameCase.node.outcome];
}

/**
 * Declares one vitest test per case against the server `start()` gives
 * (started once, closed after), then one that checks it still answers a GET.
 * `deviations: 'node'` holds each case to what bare node:http2 does.
 */
export function describeFrameConformance(
  label: string,
  start: () => Promise<H2Target>,
  deviations: Deviations = 'rfc-or-node',
): void {
  describe(label, () => {
    let target: H2Target | undefined;
    beforeAll(async () => {
      target = await start();
    });
    afterAll(() =>
      guarded(
        () => undefined,
        () => target?.close(),
      ),
    );

    it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, frameCase) => {
      const report = await runCase(target as H2Target, frameCase);
      const misses = acceptedOutcomes(frameCase, deviations).map((outcome) =>
        mismatch(outcome, report),
      );
      const verdict = misses.includes(undefined) ? 'pass' : misses.join('; ');
      expect(verdict, `${frameCase.title}\n${JSON.stringify(report, null, 1)}`).toBe('pass');
    });

    it('still answers a GET after every case', async () => {
      const alive: FrameCase = {
        name: 'after-all-cases',
        section: '8.1',
        title: 'a plain GET',
        steps: [get(1)],
        rfc: { response: { stream: 1, status: 200, body: 'hello' } },
      };
      const report = await runCase(target as H2Target, alive);
      expect(mismatch(alive.rfc, report), JSON.stringify(report)).toBeUndefined();
    });
  });
}
