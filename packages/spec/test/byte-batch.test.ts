import { describe, expect, it } from 'vitest';
import { ByteBatch } from '../src/line-buffer/byte-batch.ts';

/**
 * Appends `lines` to a fresh batch that encodes every line at once (a run of
 * one character) or gathers them (the default run), and returns what it
 * gives back, as text.
 */
function roundTrip(
  batchSize: number,
  lines: string[],
  run?: number,
): { text: string; length: number } {
  const batch = new ByteBatch(batchSize, run);
  for (const line of lines) batch.append(line);
  const bytes = batch.take();
  expect(batch.length).toBe(0);
  return { text: bytes.toString('utf8'), length: bytes.length };
}

describe('ByteBatch', () => {
  it.each([
    ['ASCII lines in one chunk', 64, ['abc\n', 'def\n']],
    // 2-, 3- and 4-byte characters that end up cut at a chunk's end (chunks of 16 bytes).
    ['2-byte characters across chunks', 8, Array.from({ length: 20 }, (_, i) => `é${i}é\n`)],
    ['3-byte characters across chunks', 8, Array.from({ length: 20 }, (_, i) => `→${i}→\n`)],
    ['surrogate pairs across chunks', 8, Array.from({ length: 20 }, (_, i) => `😀${i}😀\n`)],
    ['a lone surrogate (written as U+FFFD)', 8, ['a\ud800b\n', 'c\n']],
    ['a line longer than a chunk', 8, ['short\n', `${'long '.repeat(40)}\n`, 'after\n']],
  ])('keeps every byte in order: %s', (_name, batchSize, lines) => {
    const expected = lines.join('');
    for (const run of [1, undefined]) {
      const { text, length } = roundTrip(batchSize, lines, run);
      expect(text).toBe(Buffer.from(expected, 'utf8').toString('utf8'));
      expect(length).toBe(Buffer.byteLength(expected));
    }
  });

  it('counts lines not encoded yet a byte a character, and exactly once encoded', () => {
    const batch = new ByteBatch(64);
    batch.append('é\n');
    expect(batch.length).toBe(2);
    expect(batch.take().length).toBe(3);
  });

  it('holds a batch of several full chunks (past 1 MiB) and joins them when taken', () => {
    const line = `${'x'.repeat(99)}\n`;
    const lines = Array.from({ length: 30_000 }, () => line); // 3,000,000 bytes
    const { text, length } = roundTrip(1 << 30, lines);
    expect(length).toBe(3_000_000);
    expect(text).toBe(lines.join(''));
  });

  it('gives an empty buffer when it holds nothing', () => {
    expect(new ByteBatch(64).take().length).toBe(0);
  });
});
