/**
 * The CGI variables of the gateway listeners (uwsgi, FastCGI): each problem
 * the README documents is a 400 naming it, whether `validate()` wraps the app
 * or not, and a fast-check property throws mutated Nginx variables at both
 * listeners, each twice (app validated, app bare): the two answers agree, and
 * neither is a 500 (a `validate()` violation the listener let through).
 */
import { type Application, validate } from '@tsgi/spec';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOUNDS, bound } from '../../../tools/test-support/index.ts';
import { encodePacket } from '../src/uwsgi/index.js';
import { request as fastcgiRequest, nginxParams, startFastcgi } from './fastcgi/helpers.js';
import { sendAndWait } from './raw-connection.js';
import { nginxVars, parseResponse, startUwsgi } from './uwsgi/helpers.js';

/** Reads the whole body and answers 200 with its size. */
const app: Application = async (environ, startResponse) => {
  let size = 0;
  for await (const chunk of environ['tsgi.input']) size += chunk.byteLength;
  startResponse('200 OK', [['Content-Type', 'text/plain']]);
  return [Buffer.from(`read ${size}`)];
};

type Vars = Record<string, string | undefined>;

/** A whole HTTP response with a Content-Length: its head and that many body bytes. */
function whole(bytes: Buffer): boolean {
  const end = bytes.indexOf('\r\n\r\n');
  if (end === -1) return false;
  const length = /\r\ncontent-length: *(\d+)/i.exec(bytes.subarray(0, end).toString('latin1'));
  return length !== null && bytes.byteLength >= end + 4 + Number(length[1]);
}

/** The body a request with these vars sends: its CONTENT_LENGTH in bytes, when that is small. */
function bodyFor(vars: Vars): Buffer {
  const length = vars.CONTENT_LENGTH ?? '';
  return /^\d{1,2}$/.test(length) ? Buffer.alloc(Number(length), 0x61) : Buffer.alloc(0);
}

/** Status and body of one uwsgi request with `overrides` over Nginx's vars. */
async function uwsgiAnswer(port: number, overrides: Vars): Promise<[number, string]> {
  const vars = nginxVars(overrides);
  const sent = Buffer.concat([encodePacket(vars), bodyFor(vars)]);
  const got = await sendAndWait(port, sent, whole);
  if (got === 'hung') return [0, 'hung'];
  const { status, body } = parseResponse(got);
  return [status, body.toString()];
}

/** Status and body of one FastCGI request with `overrides` over Nginx's params. */
async function fastcgiAnswer(
  open: Awaited<ReturnType<typeof startFastcgi>>['open'],
  overrides: Vars,
): Promise<[number, string]> {
  const params = nginxParams('GET', '/', {}).filter(([name]) => !(name in overrides));
  for (const [name, value] of Object.entries(overrides)) {
    if (value !== undefined) params.push([name, value]);
  }
  const conn = await open(fastcgiRequest(1, params, bodyFor(Object.fromEntries(params))));
  const answer = await conn.response(1);
  conn.socket.destroy();
  return [answer.status, answer.body.toString()];
}

/** Each documented problem with the variables, with the text its 400 names. */
const documented: Array<[string, Vars, RegExp]> = [
  ['no REQUEST_METHOD', { REQUEST_METHOD: undefined }, /no REQUEST_METHOD/],
  ['a REQUEST_METHOD that is not a token', { REQUEST_METHOD: 'GE T' }, /REQUEST_METHOD/],
  ['a SERVER_PROTOCOL that is not HTTP/x.y', { SERVER_PROTOCOL: 'SPDY/3' }, /SERVER_PROTOCOL/],
  ['no REQUEST_URI', { REQUEST_URI: undefined }, /no REQUEST_URI/],
  ['an empty REQUEST_URI', { REQUEST_URI: '' }, /REQUEST_URI/],
  ['a REQUEST_URI not starting with /', { REQUEST_URI: 'foo' }, /REQUEST_URI/],
  ['a REQUEST_URI in absolute form', { REQUEST_URI: 'http://x/' }, /REQUEST_URI/],
  ['a REQUEST_URI *', { REQUEST_URI: '*', REQUEST_METHOD: 'OPTIONS' }, /REQUEST_URI/],
  ['a REQUEST_URI with a space', { REQUEST_URI: '/a b' }, /REQUEST_URI/],
  ['a PATH_INFO not starting with /', { PATH_INFO: 'foo' }, /PATH_INFO/],
  ['a PATH_INFO that is not UTF-8', { PATH_INFO: '/\xff' }, /PATH_INFO/],
  ['a CONTENT_LENGTH that is not digits', { CONTENT_LENGTH: '0x5' }, /CONTENT_LENGTH/],
  ['a CONTENT_LENGTH past 2^53', { CONTENT_LENGTH: '99999999999999999999999' }, /CONTENT_LENGTH/],
  ['a SCRIPT_NAME ending in /', { SCRIPT_NAME: '/app/', PATH_INFO: '/x' }, /SCRIPT_NAME/],
  ['a REMOTE_ADDR with a space', { REMOTE_ADDR: '1.2.3.4 x' }, /REMOTE_ADDR/],
  ['a REMOTE_PORT that is not a port', { REMOTE_PORT: '99999' }, /REMOTE_PORT/],
  ['an HTTP_HOST with a bad port', { HTTP_HOST: 'example.test:x' }, /Host/],
  ['an HTTP_HOST with a path', { HTTP_HOST: '[::1]/x' }, /Host/],
  ['an empty HTTP_HOST', { HTTP_HOST: '' }, /empty Host/],
  [
    'an HTTP/2 request with Connection',
    { SERVER_PROTOCOL: 'HTTP/2.0', HTTP_CONNECTION: 'keep-alive' },
    /malformed request: HTTP_CONNECTION \("keep-alive"\) on an HTTP\/2\.0 request/,
  ],
  [
    'an HTTP/2 request with TE other than trailers',
    { SERVER_PROTOCOL: 'HTTP/2.0', HTTP_TE: 'gzip' },
    /malformed request: HTTP_TE/,
  ],
];

describe('documented 400s of the gateway variables, validate() on and off', () => {
  it.each(documented)('%s', async (_name, overrides, text) => {
    const uwsgiOn = await startUwsgi(app, {}, false);
    const uwsgiOff = await startUwsgi(app, {}, true);
    const fastcgiOn = await startFastcgi(validate(app));
    const fastcgiOff = await startFastcgi(app);
    for (const [status, body] of [
      await uwsgiAnswer(uwsgiOn.port, overrides),
      await uwsgiAnswer(uwsgiOff.port, overrides),
      await fastcgiAnswer(fastcgiOn.open, overrides),
      await fastcgiAnswer(fastcgiOff.open, overrides),
    ]) {
      expect(status).toBe(400);
      expect(body).toMatch(text);
    }
  });
});

const NAMES = [
  'REQUEST_METHOD',
  'REQUEST_URI',
  'PATH_INFO',
  'SCRIPT_NAME',
  'QUERY_STRING',
  'CONTENT_LENGTH',
  'CONTENT_TYPE',
  'SERVER_PROTOCOL',
  'SERVER_NAME',
  'SERVER_PORT',
  'REMOTE_ADDR',
  'REMOTE_PORT',
  'HTTP_HOST',
  'HTTPS',
  'REQUEST_SCHEME',
  'HTTP_',
  'HTTP_CONTENT_TYPE',
  'HTTP_CONTENT_LENGTH',
  'HTTP_X_A',
  'X',
  'tsgi.version',
];

const VALUES = [
  '',
  '/',
  '/a',
  '/a/',
  'a',
  '*',
  '/?',
  '/a?b=c',
  '?x',
  '/%zz',
  '/%00',
  '/%C3%A9',
  '/\xe9',
  '/\xc3\xa9',
  '/a b',
  '\x00',
  ' ',
  '0',
  '5',
  '-1',
  ' 5',
  '99999999999999999999999',
  'GET',
  'HTTP/1.0',
  'HTTP/2',
  'on',
  'https',
  'example.test',
  'example.test:80',
  'example.test:x',
  '[::1]',
  '[::1]:8080',
  ':80',
  'a@b',
  '65536',
  '127.0.0.1',
  '::1',
  '[::1',
];

/** Nginx's variables with up to five changes: a variable removed, or set to an odd value. */
const mutations = fc
  .array(
    fc.tuple(
      fc.constantFrom(...NAMES),
      fc.option(
        fc.oneof(
          fc.constantFrom(...VALUES),
          fc.string({ unit: 'binary-ascii', maxLength: 6 }),
          fc.tuple(fc.constantFrom(...VALUES), fc.constantFrom(...VALUES)).map(([a, b]) => a + b),
        ),
        { nil: undefined },
      ),
    ),
    { maxLength: 5 },
  )
  .map((changes) => Object.fromEntries(changes) as Vars);

describe('mutated gateway variables (fast-check, bounded)', () => {
  it('get the same answer with validate() on and off, and never a 500', async () => {
    const uwsgiOn = await startUwsgi(app, {}, false);
    const uwsgiOff = await startUwsgi(app, {}, true);
    const fastcgiOn = await startFastcgi(validate(app));
    const fastcgiOff = await startFastcgi(app);
    await fc.assert(
      fc.asyncProperty(mutations, async (overrides) => {
        const uwsgi = [
          await uwsgiAnswer(uwsgiOn.port, overrides),
          await uwsgiAnswer(uwsgiOff.port, overrides),
        ];
        const fastcgi = [
          await fastcgiAnswer(fastcgiOn.open, overrides),
          await fastcgiAnswer(fastcgiOff.open, overrides),
        ];
        for (const pair of [uwsgi, fastcgi]) {
          expect(pair[0]![0]).not.toBe(500);
          expect(pair[0]).toEqual(pair[1]);
        }
      }),
      { numRuns: 300, interruptAfterTimeLimit: bound(BOUNDS.short * 4) },
    );
  });
});
