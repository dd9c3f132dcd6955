import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOUNDS, bound, killQuietly, until } from '../../tools/test-support/index.ts';
import { askProbe, PROBE_SCRIPT, type ProbeGc, type ProbeWindow, vmRssBytes } from '../memory.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/allocate.cjs', import.meta.url));
const { allocatedBytes, scavengeSurvivors } = createRequire(import.meta.url)(PROBE_SCRIPT) as {
  allocatedBytes(start: number, statistics: unknown[], end: number): number;
  scavengeSurvivors(statistics: unknown[]): { promoted: number; survived: number };
};

/**
 * What one `new Array(126)` takes on the V8 heap: a JSArray (map, properties,
 * elements, length) and its FixedArray (map, length, 126 slots), 8-byte fields,
 * or 4-byte tagged fields when V8 compresses pointers (Node does not by default).
 */
const compressed = (process.config.variables as { v8_enable_pointer_compression?: unknown })
  .v8_enable_pointer_compression;
const FIELD = compressed === 1 || compressed === true || compressed === 'true' ? 4 : 8;
const ARRAY_BYTES = 4 * FIELD + (2 + 126) * FIELD;

const gcEntry = (before: number, after: number) => ({
  beforeGC: { heapStatistics: { usedHeapSize: before } },
  afterGC: { heapStatistics: { usedHeapSize: after } },
});

/** A GCProfiler snapshot: `young` bytes in new space, `old` in old space. */
const snapshot = (young: number, old: number) => ({
  heapStatistics: { usedHeapSize: young + old },
  heapSpaceStatistics: [
    { spaceName: 'new_space', spaceUsedSize: young },
    { spaceName: 'old_space', spaceUsedSize: old },
  ],
});

describe('the arithmetic of the probe', () => {
  it('adds the growth between GCs and before and after them', () => {
    expect(allocatedBytes(100, [], 250)).toBe(150);
    // 100 → 400 (GC to 120) → 300 (GC to 90) → 200: 300 + 180 + 110
    expect(allocatedBytes(100, [gcEntry(400, 120), gcEntry(300, 90)], 200)).toBe(590);
  });

  it('counts what scavenges promote and leave alive, and nothing of full GCs', () => {
    const statistics = [
      { gcType: 'Scavenge', beforeGC: snapshot(1000, 500), afterGC: snapshot(30, 520) },
      { gcType: 'MarkSweepCompact', beforeGC: snapshot(40, 520), afterGC: snapshot(40, 100) },
      { gcType: 'Scavenge', beforeGC: snapshot(900, 100), afterGC: snapshot(10, 105) },
    ];
    expect(scavengeSurvivors(statistics)).toEqual({ promoted: 25, survived: 65 });
  });
});

describe('the memory probe on a process that allocates a known amount', () => {
  let dir: string;
  let socket: string;
  let child: ChildProcess;
  const replies: string[] = [];

  // --single-threaded: V8 compiles hot functions on the main thread, at once. Its
  // background compile jobs otherwise put their code on the heap (the code and trusted
  // spaces) when they finish, up to ~0.7 MiB a window on Node 26, and the probe counts
  // that as the allocation it is, not the fixture's known amount.
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tsgi-memory-probe-'));
    socket = join(dir, 'probe.sock');
    child = spawn(
      process.execPath,
      ['--single-threaded', '--expose-gc', '--require', PROBE_SCRIPT, FIXTURE],
      {
        env: { ...process.env, BENCH_MEMORY_PROBE: socket },
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    createInterface({ input: child.stdout! }).on('line', (line) => replies.push(line));
    await until(() => replies.includes('ready'), { ms: BOUNDS.process, what: 'the fixture' });
  });

  afterAll(() => {
    killQuietly(child?.pid, 'SIGKILL', false);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Sends a line to the fixture and waits for its `done`. */
  async function send(line: string): Promise<void> {
    const before = replies.length;
    child.stdin!.write(`${line}\n`);
    await until(() => replies.length > before, { what: `the fixture's answer to ${line}` });
  }

  async function measure(lines: string[]): Promise<ProbeWindow> {
    await askProbe(socket, 'start', bound(BOUNDS.process));
    for (const line of lines) await send(line);
    return askProbe<ProbeWindow>(socket, 'stop');
  }

  it('counts the bytes of 200,000 arrays within 1 %, over many scavenges', async () => {
    const window = await measure(['alloc 200000']);
    expect(window.gcs.Scavenge).toBeGreaterThan(5);
    expect(window.allocated / (200_000 * ARRAY_BYTES)).toBeGreaterThan(0.99);
    expect(window.allocated / (200_000 * ARRAY_BYTES)).toBeLessThan(1.01);
  });

  it('counts them as well across full GCs in the window', async () => {
    const window = await measure(['alloc 100000', 'gc', 'alloc 100000', 'gc']);
    expect(window.gcs.MarkSweepCompact).toBeGreaterThanOrEqual(2);
    expect(window.allocated / (200_000 * ARRAY_BYTES)).toBeGreaterThan(0.99);
    expect(window.allocated / (200_000 * ARRAY_BYTES)).toBeLessThan(1.01);
  });

  it('counts next to nothing when nothing is allocated', async () => {
    const window = await measure(['noop']);
    expect(window.allocated).toBeLessThan(64 * 1024);
  });

  it('answers the memory after a full GC, and the RSS is readable from /proc', async () => {
    const after = await askProbe<ProbeGc>(socket, 'gc');
    expect(after.memory.heapUsed).toBeGreaterThan(0);
    expect(after.memory.heapUsed).toBeLessThanOrEqual(after.memory.heapTotal);
    if (process.platform === 'linux') expect(vmRssBytes(child.pid)).toBeGreaterThan(1024 * 1024);
  });
});
