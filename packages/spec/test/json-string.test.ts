import { describe, expect, it } from 'vitest';
import { jsonString } from '../src/index.ts';

/** Strings on both sides of jsonString's fast path, and around its edges. */
const cases: string[] = [
  '',
  '/items/7?x=1',
  ' !#$%&()*+,-./09:;<=>?@AZ[]^_`az{|}~',
  'a"b',
  'a\\b',
  '\u0000',
  '\u001f',
  '\u007f',
  'tab\there',
  'line\nbreak',
  'é',
  '\u2028\u2029',
  'lone \ud800 surrogate',
  'pair \ud83d\ude00',
  'x'.repeat(1000),
];

describe('jsonString', () => {
  it.each(cases.map((value) => [JSON.stringify(value), value]))(
    'gives what JSON.stringify gives for %s',
    (_name, value) => {
      expect(jsonString(value)).toBe(JSON.stringify(value));
    },
  );

  it('gives what JSON.stringify gives for every single UTF-16 code unit', () => {
    for (let code = 0; code < 0x10000; code++) {
      const value = `a${String.fromCharCode(code)}b`;
      expect(jsonString(value)).toBe(JSON.stringify(value));
    }
  });
});
