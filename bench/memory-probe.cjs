/**
 * The memory probe: a preload for a benchmarked Node process, so a contender
 * needs no code of its own to be measured.
 *
 *   BENCH_MEMORY_PROBE=/tmp/dir/probe.sock node --expose-gc --require bench/memory-probe.cjs server.mjs
 *
 * It listens on the Unix socket `BENCH_MEMORY_PROBE` names (nothing without
 * it) and answers one command per connection, a line in, a JSON line out:
 *
 * - `start`: opens a window: reads the V8 heap's used size and starts a
 *   `v8.GCProfiler`, which records the used size before and after every GC;
 * - `stop`: closes it and answers `{ allocated, promoted, gcs, memory, heap,
 *   spaces }`: `allocated` is the bytes allocated on the V8 heap in the window
 *   (see `allocatedBytes`), `promoted` and `survived` what its scavenges
 *   kept (`scavengeSurvivors`), `gcs` the GCs by type, `memory`
 *   `process.memoryUsage()`, `heap` `v8.getHeapStatistics()` and `spaces` each
 *   heap space's size and used bytes, read at once;
 * - `gc`: a full garbage collection (`global.gc()`, so start Node with
 *   `--expose-gc`), then `{ memory, heap }`;
 * - `profile-start [interval]`: the sampling heap profiler through the
 *   inspector, one sample per `interval` bytes (default 16384) on average,
 *   keeping the objects the GC has collected since (that is, every allocation,
 *   garbage included; Node's `--heap-prof` keeps only the live ones);
 * - `profile-stop <file>`: stops it and writes the profile (the `.heapprofile`
 *   format of Chrome DevTools) to `<file>`.
 *
 * See bench/README.md, "Memory and allocation".
 */
'use strict';

const { writeFileSync } = require('node:fs');
const inspector = require('node:inspector');
const { createServer } = require('node:net');
const v8 = require('node:v8');

/**
 * Bytes allocated on the V8 heap over a window, from the heap's used size when
 * it opened (`usedAtStart`), the `statistics` of a `v8.GCProfiler` run over it
 * and the used size when it closed (`usedAtEnd`): every byte the heap grew by
 * between one GC's end and the next GC's start, plus the growth before the
 * first and after the last. Allocation is the only way the used size grows
 * outside a GC, so this counts every allocation, to the byte (objects, strings,
 * code; not the backing stores of ArrayBuffers and Buffers, which live outside
 * the V8 heap). That includes the code V8's background compile jobs install
 * when they finish, a few hundred KiB at times on Node 26: noise beside the
 * hundreds of MiB a benchmark window allocates.
 */
function allocatedBytes(usedAtStart, statistics, usedAtEnd) {
  let total = 0;
  let previous = usedAtStart;
  for (const entry of statistics) {
    total += entry.beforeGC.heapStatistics.usedHeapSize - previous;
    previous = entry.afterGC.heapStatistics.usedHeapSize;
  }
  return total + usedAtEnd - previous;
}

/** The GCs of a GCProfiler run, counted by type (`Scavenge`, `MarkSweepCompact`, …). */
function countGcs(statistics) {
  const counts = {};
  for (const { gcType } of statistics) counts[gcType] = (counts[gcType] ?? 0) + 1;
  return counts;
}

/** Used bytes of one GCProfiler snapshot outside the young generation (new space and new large objects). */
function oldGenerationUsed(snapshot) {
  let young = 0;
  for (const space of snapshot.heapSpaceStatistics) {
    if (space.spaceName.startsWith('new_')) young += space.spaceUsedSize;
  }
  return snapshot.heapStatistics.usedHeapSize - young;
}

/** Used bytes of one GCProfiler snapshot in the young generation. */
function youngGenerationUsed(snapshot) {
  return snapshot.heapStatistics.usedHeapSize - oldGenerationUsed(snapshot);
}

/**
 * What the scavenges of a GCProfiler run kept: `promoted`, the bytes moved to
 * the old generation (its growth over each scavenge), which it holds until a
 * full GC; `survived`, those plus the bytes left alive in the young generation
 * after each scavenge (V8 grows the young generation, and with it heapTotal
 * and RSS, as survivors add up).
 */
function scavengeSurvivors(statistics) {
  let promoted = 0;
  let survived = 0;
  for (const entry of statistics) {
    if (entry.gcType !== 'Scavenge') continue;
    const moved = oldGenerationUsed(entry.afterGC) - oldGenerationUsed(entry.beforeGC);
    promoted += moved;
    survived += moved + youngGenerationUsed(entry.afterGC);
  }
  return { promoted, survived };
}

/** `v8.getHeapSpaceStatistics()` as `{ new_space: { size, used }, … }`. */
function spaces() {
  const out = {};
  for (const space of v8.getHeapSpaceStatistics()) {
    out[space.space_name] = { size: space.space_size, used: space.space_used_size };
  }
  return out;
}

let window;
let session;

function post(method, params) {
  return new Promise((resolve, reject) =>
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

const commands = {
  start() {
    const usedAtStart = v8.getHeapStatistics().used_heap_size;
    const profiler = new v8.GCProfiler();
    profiler.start();
    window = { usedAtStart, profiler };
    return { ok: true };
  },
  stop() {
    if (window === undefined) throw new Error('no window open: send "start" first');
    const heap = v8.getHeapStatistics();
    const { statistics } = window.profiler.stop();
    const allocated = allocatedBytes(window.usedAtStart, statistics, heap.used_heap_size);
    window = undefined;
    return {
      allocated,
      ...scavengeSurvivors(statistics),
      gcs: countGcs(statistics),
      memory: process.memoryUsage(),
      heap,
      spaces: spaces(),
    };
  },
  gc() {
    if (typeof global.gc !== 'function') throw new Error('start Node with --expose-gc');
    global.gc();
    return { memory: process.memoryUsage(), heap: v8.getHeapStatistics() };
  },
  async 'profile-start'(interval = '16384') {
    session ??= new inspector.Session();
    session.connect();
    await post('HeapProfiler.enable');
    await post('HeapProfiler.startSampling', {
      samplingInterval: Number(interval),
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    return { ok: true };
  },
  async 'profile-stop'(file) {
    if (file === undefined) throw new Error('profile-stop needs a file to write');
    const { profile } = await post('HeapProfiler.stopSampling');
    session.disconnect();
    writeFileSync(file, JSON.stringify(profile));
    return { file, samples: profile.samples.length };
  },
};

/** Runs one command line and resolves to its JSON answer (`{ error }` when it failed). */
async function answer(line) {
  const [name, ...args] = line.trim().split(/\s+/);
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (command === undefined) return { error: `unknown command ${JSON.stringify(name)}` };
  try {
    return await command(...args);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

const socketPath = process.env.BENCH_MEMORY_PROBE;
if (socketPath) {
  const server = createServer((socket) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      text += chunk;
      const end = text.indexOf('\n');
      if (end === -1) return;
      answer(text.slice(0, end)).then((reply) => socket.end(`${JSON.stringify(reply)}\n`));
    });
    socket.on('error', () => {});
  });
  server.listen(socketPath);
  // The probe never keeps the process alive by itself.
  server.unref();
}

module.exports = { allocatedBytes, countGcs, scavengeSurvivors };
