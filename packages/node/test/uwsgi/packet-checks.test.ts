import { flushLineBuffers, statusLine } from '@tsgi/spec';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bound } from '../../../../tools/test-support/index.ts';
import { memoryStream } from '../helpers.js';
import { sendAndWait } from '../raw-connection.js';
import { exchange, nginxVars, parseResponse, startUwsgi } from './helpers.js';

/** A packet from a list of vars (repeats allowed, unlike `encodePacket`), with its modifiers. */
function packet(vars: Array<[string, string]>, modifier1 = 0, modifier2 = 0): Buffer {
  const parts: Buffer[] = [];
  for (const [key, value] of vars) {
    for (const text of [key, value]) {
      const bytes = Buffer.from(text, 'latin1');
      parts.push(Buffer.from([bytes.byteLength & 0xff, bytes.byteLength >> 8]), bytes);
    }
  }
  const block = Buffer.concat(parts).subarray(0, 0xffff);
  return Buffer.concat([
    Buffer.from([modifier1, block.byteLength & 0xff, block.byteLength >> 8, modifier2]),
    block,
  ]);
}

/** Nginx's vars for `GET /`, then `extra` (later repeats of a key come after its first value). */
const nginx = (extra: Array<[string, string]> = []): Array<[string, string]> => [
  ...Object.entries(nginxVars()),
  ...extra,
];

/** Nginx's vars for `GET /` with some values replaced (no repeats). */
const nginxWith = (overrides: Record<string, string>): Array<[string, string]> =>
  Object.entries(nginxVars(overrides));

/** Answers 200 with a Content-Length, reading nothing. */
const app = (_environ: unknown, startResponse: (s: string, h: [string, string][]) => unknown) => {
  startResponse(statusLine(200), [['Content-Length', '2']]);
  return [Buffer.from('ok')];
};

/** Each case: what is sent after connecting, and the status it gets. */
const cases: Array<[string, number, Buffer]> = [
  ['the packet Nginx sends', 200, packet(nginx())],
  ['modifier1 30 (PATH_INFO holds SCRIPT_NAME)', 200, packet(nginx(), 30)],
  ['modifier1 5 (another kind of request)', 501, packet(nginx(), 5)],
  ['modifier2 1', 501, packet(nginx(), 0, 1)],
  ['an empty vars block', 400, packet([])],
  ['a var length past the block', 400, Buffer.from([0, 4, 0, 0, 9, 0, 65, 66])],
  ['an empty key', 400, Buffer.from([0, 4, 0, 0, 0, 0, 0, 0])],
  ['CONTENT_LENGTH twice, different', 400, packet(nginx([['CONTENT_LENGTH', '5']]))],
  ['REQUEST_METHOD twice, different', 400, packet(nginx([['REQUEST_METHOD', 'POST']]))],
  ['REQUEST_URI twice, different', 400, packet(nginx([['REQUEST_URI', '/admin']]))],
  ['HTTP_HOST twice, different', 400, packet(nginx([['HTTP_HOST', 'evil.test']]))],
  ['SERVER_PROTOCOL twice, different', 400, packet(nginx([['SERVER_PROTOCOL', 'HTTP/1.0']]))],
  ['REQUEST_METHOD twice, the same', 200, packet(nginx([['REQUEST_METHOD', 'GET']]))],
  ['a header var twice (first value kept)', 200, packet(nginx([['HTTP_ACCEPT', 'text/html']]))],
  ['REQUEST_METHOD not a token', 400, packet(nginxWith({ REQUEST_METHOD: 'G T' }))],
  ['no REQUEST_METHOD', 400, packet(nginx().filter(([k]) => k !== 'REQUEST_METHOD'))],
  ['SERVER_PROTOCOL with CR LF', 400, packet(nginxWith({ SERVER_PROTOCOL: 'HTTP/1.1\r\n' }))],
  [
    'SERVER_PROTOCOL HTTP/2.0 (Nginx to an h2 client)',
    200,
    packet(nginxWith({ SERVER_PROTOCOL: 'HTTP/2.0' })),
  ],
  ['REQUEST_URI with a space', 400, packet(nginxWith({ REQUEST_URI: '/a b' }))],
  ['SCRIPT_NAME not a path (the fuzz found it)', 400, packet(nginx([['SCRIPT_NAME', '\0']]))],
  ['SCRIPT_NAME ending in /', 400, packet(nginx([['SCRIPT_NAME', '/api/']]))],
  ['CONTENT_LENGTH in hex', 400, packet(nginxWith({ CONTENT_LENGTH: '0x2' }))],
  ['CONTENT_LENGTH negative', 400, packet(nginxWith({ CONTENT_LENGTH: '-1' }))],
  [
    'more body than CONTENT_LENGTH',
    400,
    Buffer.concat([packet(nginxWith({ CONTENT_LENGTH: '2' })), Buffer.from('abcdef')]),
  ],
  [
    'exactly CONTENT_LENGTH bytes of body',
    200,
    Buffer.concat([packet(nginxWith({ CONTENT_LENGTH: '6' })), Buffer.from('abcdef')]),
  ],
];

describe('uwsgi packet checks', () => {
  it.each(cases)('%s → %i', async (_name, status, bytes) => {
    let calls = 0;
    const log = memoryStream();
    const { port } = await startUwsgi(
      (environ, startResponse) => {
        calls++;
        return app(environ, startResponse);
      },
      { accessLog: 'common', accessLogStream: log },
    );
    const result = await exchange(port, bytes);
    expect(result.status).toBe(status);
    expect(result.ending).toBe('end');
    expect(calls).toBe(status === 200 ? 1 : 0);
    await flushLineBuffers(); // the access log writes in batches
    expect(log.text()).toMatch(new RegExp(`" ${status} \\d+`));
  });
});

/** Random packets: Nginx-like vars with random additions, repeats, modifiers, bodies and cuts. */
const byte = fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c));
const randomPacket = fc
  .record({
    modifier1: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 255 })),
    modifier2: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 255 })),
    extra: fc.array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom('CONTENT_LENGTH', 'REQUEST_METHOD', 'REQUEST_URI', 'HTTP_HOST'),
          fc.constantFrom('SERVER_PROTOCOL', 'PATH_INFO', 'QUERY_STRING', 'SCRIPT_NAME'),
          fc.string({ unit: byte, minLength: 1, maxLength: 12 }),
        ),
        fc.oneof(
          fc.constantFrom('GET', 'POST', '/', 'HTTP/1.1', '0', '3', '70000', '-1', ''),
          fc.string({ unit: byte, maxLength: 24 }),
        ),
      ),
      { maxLength: 6 },
    ),
    first: fc.boolean(),
    body: fc.uint8Array({ maxLength: 40 }),
    cut: fc.option(fc.nat({ max: 400 }), { freq: 4 }),
  })
  .map(({ modifier1, modifier2, extra, first, body, cut }) => {
    const vars = first ? [...extra, ...nginx()] : nginx(extra);
    const bytes = Buffer.concat([packet(vars, modifier1, modifier2), body]);
    return cut === null ? bytes : bytes.subarray(0, cut);
  });

/** A whole HTTP response arrived: its head and as many body bytes as its Content-Length. */
function wholeResponse(all: Buffer): boolean {
  const { head, body } = parseResponse(all);
  const length = head.find((line) => line.startsWith('content-length:'));
  return length !== undefined && body.byteLength >= Number(length.slice(15));
}

describe('random packets (fast-check, bounded)', () => {
  it('never crash or hang the listener: each gets a whole response or a close', async () => {
    const errors = memoryStream();
    const { port } = await startUwsgi(app, { headersTimeout: 200, idleTimeout: 1000, errors });
    await fc.assert(
      fc.asyncProperty(randomPacket, async (bytes) => {
        const result = await sendAndWait(port, bytes, wholeResponse);
        expect(result).not.toBe('hung');
        if (result !== 'hung' && result.byteLength > 0) {
          expect(result.toString('latin1')).toMatch(/^HTTP\/1\.1 (200|400|413|414|501) /);
        }
      }),
      { numRuns: 120, interruptAfterTimeLimit: bound(60_000) },
    );
    expect((await exchange(port, packet(nginx()))).status).toBe(200);
  });
});
