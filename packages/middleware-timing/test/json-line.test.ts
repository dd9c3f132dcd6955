import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonLine } from '../src/log-line.ts';
import type { TimingEntry } from '../src/options.ts';

describe('jsonLine', () => {
  it('is valid JSON with the entry fields, whatever the strings hold', () => {
    fc.assert(
      fc.property(
        fc.record({
          startTime: fc.integer({ min: 0, max: 4_102_444_800_000 }),
          method: fc.string(),
          path: fc.string({ unit: 'grapheme' }),
          status: fc.option(fc.integer({ min: 100, max: 599 }), { nil: undefined }),
          processMs: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: undefined }),
          totalMs: fc.double({ min: 0, max: 1e6, noNaN: true }),
          requestId: fc.option(fc.string(), { nil: undefined }),
          aborted: fc.boolean(),
          error: fc.option(fc.string(), { nil: undefined }),
        }),
        fc.integer({ min: 0, max: 6 }),
        (entry: TimingEntry, digits) => {
          const record = JSON.parse(jsonLine(entry, digits));
          const expected: Record<string, unknown> = {
            time: new Date(entry.startTime).toISOString(),
            method: entry.method,
            path: entry.path,
            status: entry.status ?? null,
            processMs:
              entry.processMs === undefined ? null : Number(entry.processMs.toFixed(digits)),
            totalMs: Number(entry.totalMs.toFixed(digits)),
          };
          if (entry.requestId !== undefined) expected.requestId = entry.requestId;
          if (entry.aborted) expected.aborted = true;
          if (entry.error !== undefined) expected.error = entry.error;
          expect(Object.keys(record)).toEqual(Object.keys(expected));
          expect(record.time).toBe(expected.time);
          expect(record.method).toBe(expected.method);
          expect(record.path).toBe(expected.path);
          expect(record.status).toBe(expected.status);
          expect(record.requestId).toBe(expected.requestId);
          expect(record.error).toBe(expected.error);
          // Rounding half up may differ from toFixed's by one unit in the last digit.
          for (const key of ['processMs', 'totalMs'] as const) {
            if (expected[key] === null) expect(record[key]).toBeNull();
            else
              expect(Math.abs(record[key] - (expected[key] as number))).toBeLessThanOrEqual(
                1.000001 / 10 ** digits,
              );
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
