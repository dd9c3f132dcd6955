import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type MachineProbe, readRunContext } from '../machine.ts';
import { describeRatio, publishResults, replaceSection, type Section } from '../results.ts';
import type { Measured } from '../trust.ts';

/** A machine with `cpus` CPUs whose 1-minute load average reads `load`. */
const probe = (load: number, cpus = 2): MachineProbe => ({
  loadavg: () => [load, load, load],
  cpus: () => cpus,
  model: () => 'Test CPU',
  sleep: async () => {},
  now: () => new Date('2026-12-01T10:00:00Z'),
});

const steady: Measured = {
  rounds: 5,
  pinned: true,
  errors: 0,
  ratios: [
    { label: 'fast: requests served', values: [0.97, 0.99, 1.0, 0.98, 1.02] },
    { label: 'fast: CPU per request', values: [1.1, 1.08, 1.12, 1.09, 1.1] },
  ],
};

const section = (load: number, measured: Measured = steady): Section => ({
  id: 'demo',
  title: 'demo, head to head',
  markdown: '| server | ratio |\n|---|---:|\n| fast | 0.99× |',
  run: readRunContext(probe(load)),
  measured,
});

describe('publishResults, against a temp copy of a results file', () => {
  let dir: string;
  let file: string;
  let before: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsgi-bench-results-'));
    file = join(dir, 'RESULTS.md');
    let text = replaceSection(undefined, 'demo', '## demo\n\nthe old demo table');
    text = replaceSection(text, 'other', '## other\n\nanother bench’s table');
    writeFileSync(file, text);
    before = readFileSync(file, 'utf8');
    vi.spyOn(console, 'log').mockImplementation(() => {});
    vi.stubEnv('BENCH_NO_RESULTS', '');
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a steady table measured on a quiet machine, and only its own section', () => {
    expect(publishResults(section(1.5), file)).toEqual({ kind: 'written' });
    const after = readFileSync(file, 'utf8');
    expect(after).not.toContain('the old demo table');
    expect(after).toContain('| fast | 0.99× |');
    expect(after).toContain('load average before the run 1.50 1.50 1.50');
    expect(after).toContain('2 × Test CPU');
    expect(after).toContain('another bench’s table');
  });

  it('refuses when the load average before the run exceeds the CPU count, and leaves the file as it was', () => {
    const outcome = publishResults(section(2.5), file);
    expect(outcome.kind).toBe('refused');
    expect(JSON.stringify(outcome)).toContain(
      'load average before the run, 2.50, exceeds the 2 CPUs',
    );
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('refuses a ratio whose range leaves ±15 % of its median, above or below', () => {
    for (const values of [
      [1.0, 1.02, 0.99, 1.01, 1.18],
      [0.8, 0.96, 0.95, 0.97, 0.95],
    ]) {
      const measured = { ...steady, ratios: [...steady.ratios, { label: 'wide', values }] };
      const outcome = publishResults(section(0.5, measured), file);
      expect(outcome.kind).toBe('refused');
      expect(JSON.stringify(outcome)).toContain('wide: ');
      expect(readFileSync(file, 'utf8')).toBe(before);
    }
  });

  it('refuses fewer than 5 rounds, unpinned runs and failed requests', () => {
    for (const measured of [
      { ...steady, rounds: 4 },
      { ...steady, pinned: false },
      { ...steady, errors: 3 },
    ]) {
      expect(publishResults(section(0.5, measured), file).kind).toBe('refused');
      expect(readFileSync(file, 'utf8')).toBe(before);
    }
  });

  it('prints only with BENCH_NO_RESULTS=1 or without a section id', () => {
    vi.stubEnv('BENCH_NO_RESULTS', '1');
    expect(publishResults(section(0.5), file).kind).toBe('printed');
    vi.stubEnv('BENCH_NO_RESULTS', '');
    expect(publishResults({ ...section(0.5), id: undefined }, file).kind).toBe('printed');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});

describe('describeRatio', () => {
  it('says fewer or more, never a negative "less"', () => {
    expect(describeRatio(0.79, 'requests served', ['more', 'fewer'])).toBe(
      '21.0 % fewer requests served',
    );
    expect(describeRatio(3.31, 'requests served', ['more', 'fewer'])).toBe(
      '231.0 % more requests served',
    );
    expect(describeRatio(0.989, 'CPU per request', ['more', 'less'])).toBe(
      '1.1 % less CPU per request',
    );
    expect(describeRatio(1.0004, 'CPU per request', ['more', 'less'])).toBe(
      'no difference in CPU per request',
    );
  });
});
