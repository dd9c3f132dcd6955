import { spawn } from 'node:child_process';
import { closeSync, createWriteStream, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { BOUNDS, bound, until } from '../../../tools/test-support/index.ts';
import { flushLineBuffers, LineBuffer } from '../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'tsgi-line-buffer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A real Writable that counts its write calls and keeps what it got. */
class CountingStream extends Writable {
  writes = 0;
  text = '';
  /** Callbacks held back while `hold` is on (a reader that stalls). */
  held: Array<() => void> = [];
  hold = false;

  constructor(highWaterMark = 16_384) {
    super({ highWaterMark, decodeStrings: false });
  }

  override write(chunk: unknown, ...rest: unknown[]): boolean {
    this.writes++;
    return (super.write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }

  override _write(chunk: string, _encoding: string, done: () => void): void {
    this.text += chunk;
    if (this.hold) this.held.push(done);
    else done();
  }

  release(): void {
    this.hold = false;
    for (const done of this.held.splice(0)) done();
  }
}

const line = (i: number) => `request ${i} ${'-'.repeat(30)}\n`;
const numbers = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => Number(l.split(' ')[1]));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('LineBuffer', () => {
  test('batches lines: far fewer writes than lines, all of them in order', async () => {
    const stream = new CountingStream();
    const buffer = new LineBuffer(stream, { intervalMs: 600_000 });
    for (let i = 0; i < 5000; i++) buffer.write(line(i));
    await buffer.flush();
    expect(numbers(stream.text)).toEqual(range(5000));
    // 5000 lines of 41 characters are about 200 Ki: a handful of 64 Ki batches.
    expect(stream.writes).toBeLessThanOrEqual(5);
    expect(buffer.pendingLength).toBe(0);
  });

  test('writes a batch as soon as it reaches batchSize, without waiting for the timer', () => {
    const writes: string[] = [];
    const buffer = new LineBuffer(
      {
        write: (chunk) => {
          if (typeof chunk !== 'string') throw new TypeError('a sink without once gets strings');
          writes.push(chunk);
        },
      },
      {
        intervalMs: 600_000,
        batchSize: 100,
      },
    );
    buffer.write(line(0));
    buffer.write(line(1));
    expect(writes).toEqual([]);
    buffer.write(line(2));
    expect(writes).toEqual([line(0) + line(1) + line(2)]);
    expect(buffer.pendingLength).toBe(0);
    buffer.write(line(3));
    buffer.flushSync();
    expect(writes).toEqual([line(0) + line(1) + line(2), line(3)]);
  });

  test('writes a batch on its timer', async () => {
    const stream = new CountingStream();
    const buffer = new LineBuffer(stream, { intervalMs: 20 });
    buffer.write(line(0));
    buffer.write(line(1));
    expect(stream.writes).toBe(0);
    await until(() => stream.writes === 1, {
      what: 'the timer to write the batch',
      details: () => `writes: ${stream.writes}, pending: ${buffer.pendingLength}`,
    });
    expect(numbers(stream.text)).toEqual([0, 1]);
  });

  test("keeps the stream's backpressure: holds lines until 'drain', then writes them all", async () => {
    const stream = new CountingStream(64);
    stream.hold = true;
    const buffer = new LineBuffer(stream, { intervalMs: 600_000, batchSize: 100 });
    for (let i = 0; i < 3; i++) buffer.write(line(i)); // one batch: write() returns false
    expect(stream.writes).toBe(1);
    for (let i = 3; i < 50; i++) buffer.write(line(i));
    // Waiting for 'drain': nothing more is handed to the stream.
    expect(stream.writes).toBe(1);
    expect(buffer.pendingLength).toBeGreaterThan(0);
    const flushed = buffer.flush();
    stream.release();
    await flushed;
    expect(numbers(stream.text)).toEqual(range(50));
    expect(buffer.dropped).toBe(0);
  });

  test('past maxPending, drops lines, counts them and says so, and keeps the rest', async () => {
    const stream = new CountingStream(64);
    stream.hold = true;
    const warnings: string[] = [];
    const buffer = new LineBuffer(stream, {
      intervalMs: 600_000,
      batchSize: 100,
      maxPending: 1000,
      warn: (message) => warnings.push(message),
    });
    for (let i = 0; i < 100; i++) buffer.write(line(i));
    expect(buffer.dropped).toBeGreaterThan(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/not draining/);
    const flushed = buffer.flush();
    stream.release();
    await flushed;
    const kept = numbers(stream.text);
    expect(kept.length + buffer.dropped).toBe(100);
    expect(kept).toEqual(range(kept.length));
    expect(warnings[1]).toBe(
      `tsgi: ${buffer.dropped} log lines were dropped while the stream was not draining\n`,
    );
  });

  test('flushLineBuffers waits until an fs.WriteStream wrote every pending line', async () => {
    const path = join(dir, 'flush-all.log');
    const file = createWriteStream(path);
    const a = new LineBuffer(file, { intervalMs: 600_000 });
    const b = new LineBuffer(file, { intervalMs: 600_000 });
    for (let i = 0; i < 2000; i++) (i % 2 === 0 ? a : b).write(line(i));
    expect(await flushLineBuffers()).toBe(true);
    expect(numbers(readFileSync(path, 'utf8')).sort((x, y) => x - y)).toEqual(range(2000));
    file.end();
  });

  test('rejects a sink without write and bad sizes', () => {
    expect(() => new LineBuffer({} as never)).toThrow(TypeError);
    expect(() => new LineBuffer(new CountingStream(), { batchSize: 0 })).toThrow(/batchSize/);
  });
});

describe('LineBuffer at process exit', () => {
  const fixture = fileURLToPath(new URL('./fixtures/exit-lines.ts', import.meta.url));
  const root = fileURLToPath(new URL('..', import.meta.url));

  /** Runs the fixture with stdout on `stdout` (a fd, or a pipe) and resolves with its exit code. */
  function run(
    args: string[],
    stdout: number | 'pipe',
  ): Promise<{ code: number | null; out: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', fixture, ...args], {
        cwd: root,
        stdio: ['ignore', stdout, 'inherit'],
        timeout: bound(BOUNDS.process),
      });
      let out = '';
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, out }));
    });
  }

  test('process.exit() right after the lines: all of them reach stdout redirected to a file', async () => {
    const path = join(dir, 'exit-stdout.log');
    const fd = openSync(path, 'w');
    try {
      expect((await run(['stdout', '20000'], fd)).code).toBe(0);
    } finally {
      closeSync(fd);
    }
    expect(numbers(readFileSync(path, 'utf8'))).toEqual(range(20000));
  });

  test('... and all of them reach stdout as a pipe (more than a pipe holds)', async () => {
    const { code, out } = await run(['stdout', '20000'], 'pipe');
    expect(code).toBe(0);
    expect(numbers(out)).toEqual(range(20000));
  });

  test('... and all of them reach an fs.WriteStream', async () => {
    const path = join(dir, 'exit-file.log');
    expect((await run(['file', '20000', path], 'pipe')).code).toBe(0);
    expect(numbers(readFileSync(path, 'utf8'))).toEqual(range(20000));
  });
});
