/**
 * The corpus's request-line cases over HTTP/2: the method is `:method`, the
 * target is `:path` (RFC 9113 §8.3.1), CONNECT has its own shape (§8.5).
 */
import {
  answered,
  both,
  getOf,
  type H2Translation,
  headersOnly,
  MALFORMED,
  OK,
} from './corpus-h2-map.ts';
import { SCHEME } from './steps.ts';

const LONG = `/${'a'.repeat(4000)}`;
const TOO_LONG = `/${'a'.repeat(9000)}`;

/** Request-line cases with an HTTP/2 form, by corpus name. */
export const requestLineH2: Record<string, H2Translation> = {
  'plain GET': {
    title: 'GET /',
    steps: getOf('/'),
    ...both(OK),
    seen: { method: 'GET', uri: '/', path: '/', query: '', host: 'localhost' },
  },
  'lower-case method': {
    title: ':method get (a token: methods are case-sensitive, RFC 9110 §9.1)',
    steps: getOf('/', [], 'get'),
    ...both(OK),
    seen: { method: 'get' },
  },
  'unknown method': {
    title: ':method FOO (a token; the app decides)',
    steps: getOf('/', [], 'FOO'),
    ...both(OK),
    seen: { method: 'FOO' },
  },
  'method with a non-token character': {
    title: ':method G@T',
    steps: getOf('/', [], 'G@T'),
    ...both(MALFORMED),
  },
  '`GET *` (asterisk-form without OPTIONS)': {
    title: ':method GET, :path *',
    steps: getOf('*'),
    ...both(MALFORMED),
  },
  '`OPTIONS *`': {
    title: ':method OPTIONS, :path *',
    steps: getOf('*', [], 'OPTIONS'),
    ...both(OK),
    seen: { method: 'OPTIONS', uri: '*' },
  },
  '`OPTIONS *?a` (asterisk-form with more)': {
    title: ':method OPTIONS, :path *?a',
    steps: getOf('*?a', [], 'OPTIONS'),
    ...both(MALFORMED),
  },
  'absolute-form target': {
    title: ':path http://h/a?b=1 (RFC 9113 §8.3.1 allows only origin-form or *)',
    steps: getOf('http://h/a?b=1'),
    ...both(MALFORMED),
  },
  'absolute-form with another Host': {
    title: ':path http://a/x with host: b',
    steps: getOf('http://a/x', [['host', 'b']]),
    ...both(MALFORMED),
  },
  'absolute-form with an empty Host': {
    title: ':path http://a/x with an empty :authority',
    steps: headersOnly([
      [':method', 'GET'],
      [':scheme', SCHEME],
      [':path', 'http://a/x'],
      [':authority', ''],
    ]),
    ...both(MALFORMED),
  },
  'authority-form with GET': {
    title: ':method GET, :path h:443',
    steps: getOf('h:443'),
    ...both(MALFORMED),
  },
  'fragment in the target': {
    title: ':path /a#b',
    steps: getOf('/a#b'),
    tsgi: answered(400),
    node: OK,
  },
  'invalid percent-encoding in the path': {
    title: ':path /a%zz',
    steps: getOf('/a%zz'),
    tsgi: answered(400),
    node: OK,
  },
  'space in the target': {
    title: ':path /a b',
    steps: getOf('/a b'),
    ...both(MALFORMED),
  },
  'NUL in the target': {
    title: ':path /a NUL',
    steps: getOf('/a\0'),
    ...both(MALFORMED),
  },
  'long target under the limit': {
    title: ':path of 4,001 bytes',
    steps: getOf(LONG),
    ...both(OK),
    seen: { uriLength: LONG.length },
  },
  'target over `maxUrlLength`': {
    title: ':path of 9,001 bytes',
    steps: getOf(TOO_LONG),
    tsgi: answered(414),
    node: OK,
  },
  '`CONNECT host:443`': {
    title: ':method CONNECT, :authority h:443, no :scheme or :path (RFC 9113 §8.5)',
    steps: headersOnly([
      [':method', 'CONNECT'],
      [':authority', 'h:443'],
    ]),
    tsgi: answered(400),
    node: answered(405),
  },
  '`CONNECT` with an origin-form target': {
    title: ':method CONNECT with :scheme and :path / (malformed, RFC 9113 §8.5)',
    steps: getOf('/', [], 'CONNECT'),
    ...both(MALFORMED),
  },
};
