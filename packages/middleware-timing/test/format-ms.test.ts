import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMs } from '../src/format-ms.ts';

describe('formatMs', () => {
  it.each([
    [0, 2, '0.00'],
    [0.004, 2, '0.00'],
    [0.005, 2, '0.01'],
    [0.1234, 2, '0.12'],
    [1042.0687, 2, '1042.07'],
    [15.3, 2, '15.30'],
    [0.96, 1, '1.0'],
    [7.5, 0, '8'],
    [0.000123, 6, '0.000123'],
  ])('formatMs(%d, %d) is %s', (ms, digits, text) => {
    expect(formatMs(ms, digits)).toBe(text);
  });

  it('has exactly `digits` digits after the point and is within half a unit of the value', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e7, noNaN: true }),
        fc.integer({ min: 0, max: 6 }),
        (ms, digits) => {
          const text = formatMs(ms, digits);
          expect(text).toMatch(digits === 0 ? /^\d+$/ : new RegExp(`^\\d+\\.\\d{${digits}}$`));
          expect(Math.abs(Number(text) - ms)).toBeLessThanOrEqual(0.5 / 10 ** digits + 1e-6);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
