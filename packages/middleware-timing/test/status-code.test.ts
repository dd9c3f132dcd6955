import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { statusCode } from '../src/status-code.js';

describe('statusCode', () => {
  it('reads the three digits of any status line, as parseInt does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 999 }), fc.string(), (code, reason) => {
        const status = `${code} ${reason}`;
        expect(statusCode(status)).toBe(Number.parseInt(status, 10));
      }),
    );
  });

  it('is NaN when the status does not start with three digits', () => {
    for (const bad of ['', '20', 'OK 200', '2x0 Bad', ' 200 OK']) {
      expect(statusCode(bad)).toBeNaN();
    }
  });
});
