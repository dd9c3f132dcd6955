import { describe, expect, it } from 'vitest';
import { varName } from '../src/cgi/var-names.js';

describe('varName (the cache of var names)', () => {
  it('decodes latin1 names the same whether cached or not', () => {
    const bytes = Buffer.from('xxHTTP_HOSTyyREQUEST_METHOD\xe9', 'latin1');
    expect(varName(bytes, 2, 11)).toBe('HTTP_HOST');
    expect(varName(bytes, 2, 11)).toBe('HTTP_HOST');
    expect(varName(bytes, 13, 28)).toBe('REQUEST_METHOD\xe9');
    expect(varName(bytes, 13, 28)).toBe('REQUEST_METHOD\xe9');
  });

  it('never returns a cached name for other bytes, even under the same hash', () => {
    // 'Aa' and 'BB' share the classic 31-multiplier hash.
    const aa = Buffer.from('Aa', 'latin1');
    const bb = Buffer.from('BB', 'latin1');
    expect(varName(aa, 0, 2)).toBe('Aa');
    expect(varName(bb, 0, 2)).toBe('BB');
    expect(varName(aa, 0, 2)).toBe('Aa');
  });

  it('keeps decoding once the cache is full', () => {
    for (let i = 0; i < 600; i++) {
      const name = `X_${i}`;
      expect(varName(Buffer.from(name, 'latin1'), 0, name.length)).toBe(name);
    }
  });
});
