import { describe, expect, it } from 'vitest';
import type { LogRequest } from '../../src/contracts/access-log.js';
import { jsonLine, millis3 } from '../../src/log/json-line.js';

/** The line as JSON.stringify writes the object: what `jsonLine` must equal byte for byte. */
function reference(
  environ: LogRequest,
  status: number,
  bytes: number,
  now: Date,
  durationMs: number,
): string {
  return `${JSON.stringify({
    time: now.toISOString(),
    remote_addr: environ.REMOTE_ADDR,
    method: environ.REQUEST_METHOD || null,
    uri: environ.REQUEST_URI || null,
    protocol: environ.SERVER_PROTOCOL || null,
    status,
    bytes,
    duration_ms: Math.round(durationMs * 1000) / 1000,
    user_agent: environ.HTTP_USER_AGENT ?? null,
    drain: environ.drain,
  })}\n`;
}

const plain: LogRequest = {
  REQUEST_METHOD: 'GET',
  REQUEST_URI: '/items?id=7',
  SERVER_PROTOCOL: 'HTTP/1.1',
  REMOTE_ADDR: '127.0.0.1',
};

const cases: [string, LogRequest][] = [
  ['a plain request', plain],
  ['a user agent', { ...plain, HTTP_USER_AGENT: 'curl/8.5.0' }],
  [
    'quotes, backslashes, control and non-ASCII characters',
    {
      ...plain,
      REQUEST_URI: '/a"b\\c\u0001\u001f\u007f\u2028é',
      HTTP_USER_AGENT: 'x"\n\ty\ud800',
    },
  ],
  [
    'an unreadable request line',
    { ...plain, REQUEST_METHOD: '', REQUEST_URI: '', SERVER_PROTOCOL: '' },
  ],
  ['a drain reason', { ...plain, drain: 'reload' }],
  ['no remote address', { ...plain, REMOTE_ADDR: undefined as unknown as string }],
  ['an empty remote address (Unix socket)', { ...plain, REMOTE_ADDR: '' }],
];

describe('jsonLine', () => {
  it.each(cases)('writes what JSON.stringify writes: %s', (_name, environ) => {
    const now = new Date(Date.UTC(2026, 11, 7, 8, 30, 1, 234));
    for (const [status, bytes, ms] of [
      [200, 17, 0.1234],
      [499, 0, 0],
      [500, 1_048_576, 12_345.6789],
      [204, 0, 1.2],
      [304, 0, 0.05],
      [404, 9, 3_000_000.0004],
    ] as const) {
      expect(jsonLine(environ, status, bytes, now.getTime(), ms)).toBe(
        reference(environ, status, bytes, now, ms),
      );
    }
  });

  it('writes each line its own time, within a millisecond and across them', () => {
    const first = new Date(Date.UTC(2026, 11, 7, 8, 30, 1, 234));
    const second = new Date(first.getTime() + 1);
    for (const now of [first, first, second, first]) {
      expect(jsonLine(plain, 200, 1, now.getTime(), 1)).toBe(reference(plain, 200, 1, now, 1));
    }
  });
});

describe('millis3', () => {
  /** Durations around every branch: whole, one, two and three decimals, tiny, huge, odd. */
  const durations = [
    0,
    -0,
    -1,
    0.0004,
    0.0005,
    0.001,
    0.01,
    0.05,
    0.1,
    0.12,
    0.123,
    0.1234,
    1,
    1.5,
    1.05,
    1.005,
    9.999,
    9.9995,
    10,
    999.999,
    2_147_483.647,
    2_147_483.648,
    1e12,
    Number.NaN,
    Number.POSITIVE_INFINITY,
  ];

  it.each(durations)('writes %s ms as JSON.stringify writes the rounded number', (ms) => {
    expect(millis3(ms)).toBe(JSON.stringify(Math.round(ms * 1000) / 1000));
  });

  it('agrees with JSON.stringify on 100,000 pseudo-random durations', () => {
    let seed = 1; // a fixed Lehmer sequence, so a failure can be replayed
    for (let i = 0; i < 100_000; i++) {
      seed = (seed * 48_271) % 0x7fffffff;
      const ms = (seed / 0x7fffffff) * 10 ** ((i % 7) - 2);
      expect(millis3(ms)).toBe(JSON.stringify(Math.round(ms * 1000) / 1000));
    }
  });
});
