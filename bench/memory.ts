/**
 * The load generator's side of the memory probe (memory-probe.cjs): a Node
 * contender started with the probe preloaded, the commands sent to it, and
 * the resident set size read from /proc. See bench/README.md, "Memory and
 * allocation".
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Contender } from './harness.ts';

/** Path of the preload script, `bench/memory-probe.cjs`. */
export const PROBE_SCRIPT = fileURLToPath(new URL('./memory-probe.cjs', import.meta.url));

/** `process.memoryUsage()` as the probe reports it, in bytes. */
export interface MemoryUsage {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** What the probe's `stop` answers: the window just closed. */
export interface ProbeWindow {
  /** Bytes allocated on the V8 heap in the window. */
  allocated: number;
  /** Bytes the window's scavenges promoted to the old generation. */
  promoted: number;
  /** Bytes alive after the window's scavenges, summed over them (promoted ones included). */
  survived: number;
  /** GCs in the window by type, e.g. `{ Scavenge: 41, MarkSweepCompact: 1 }`. */
  gcs: Record<string, number>;
  memory: MemoryUsage;
  /** `v8.getHeapStatistics()` (snake_case keys, e.g. `total_heap_size`). */
  heap: Record<string, number>;
  /** Each heap space's size and used bytes, e.g. `spaces.new_space.size`. */
  spaces: Record<string, { size: number; used: number }>;
}

/** What the probe's `gc` answers: the memory after a full garbage collection. */
export interface ProbeGc {
  memory: MemoryUsage;
  heap: Record<string, number>;
}

/**
 * `contender` (a command run by `node`) with the probe preloaded and listening
 * on `socketPath`: `--expose-gc --require memory-probe.cjs` go right after
 * the `node` executable, before its script, so the contender's code is as it is.
 *
 * @example
 * probed({ name: 'fastify', command: [process.execPath, 'servers/fastify.mjs'] }, '/tmp/x/fastify.sock');
 */
export function probed(contender: Contender, socketPath: string): Contender {
  const [node, ...rest] = contender.command;
  return {
    ...contender,
    command: [node!, '--expose-gc', '--require', PROBE_SCRIPT, ...rest],
    env: { ...contender.env, BENCH_MEMORY_PROBE: socketPath },
  };
}

function askOnce(socketPath: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let text = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${command}\n`));
    socket.on('data', (chunk) => {
      text += chunk;
    });
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

/**
 * Sends one command (`start`, `stop`, `gc`, `profile-start 16384`,
 * `profile-stop <file>`) to the probe on `socketPath` and resolves to its
 * answer. While the probe is not listening yet (the process is starting), it
 * tries again every 50 ms, for `waitMs` at most; an `{ error }` answer rejects.
 */
export async function askProbe<T>(socketPath: string, command: string, waitMs = 5000): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const answer = JSON.parse(await askOnce(socketPath, command)) as T & { error?: string };
      if (answer.error !== undefined) throw new Error(`probe ${command}: ${answer.error}`);
      return answer;
    } catch (error) {
      const code = (error as { code?: string }).code;
      const starting = code === 'ENOENT' || code === 'ECONNREFUSED';
      if (!starting || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** The resident set size of process `pid` in bytes (`VmRSS` of `/proc/<pid>/status`); NaN off Linux. */
export function vmRssBytes(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return match === null ? Number.NaN : Number(match[1]) * 1024;
  } catch {
    return Number.NaN;
  }
}

/** Bytes as mebibytes with one decimal, e.g. `'77.3'`. */
export function formatMiB(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
