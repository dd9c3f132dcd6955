import { describe, expect, test } from 'vitest';
import { parseCorsOrigins } from '../src/cors-origins.js';
import { parseTrust } from '../src/request-id-trust.js';

describe('CORS_ORIGINS', () => {
  test.each([
    [undefined, '*'],
    ['', '*'],
    ['*', '*'],
    ['https://a.example', ['https://a.example']],
    [' https://a.example , https://b.example ,', ['https://a.example', 'https://b.example']],
    ['https://a.example,*', '*'],
  ])('%j → %j', (value, expected) => {
    expect(parseCorsOrigins(value)).toEqual(expected);
  });
});

describe('REQUEST_ID_TRUST_PROXY', () => {
  test.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['0', false],
    ['No', false],
    ['true', true],
    ['1', true],
    ['YES', true],
    ['loopback, 10.0.0.0/8', 'loopback, 10.0.0.0/8'],
  ])('%j → %j', (value, expected) => {
    expect(parseTrust(value)).toEqual(expected);
  });
});
