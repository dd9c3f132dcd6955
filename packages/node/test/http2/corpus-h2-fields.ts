/**
 * The corpus's Host and header field cases over HTTP/2: Host is `:authority`
 * or a `host` field (RFC 9113 §8.3.1), a field is one HPACK name and value
 * whose characters RFC 9113 §8.2.1 restricts; no line framing is left.
 */
import {
  answered,
  both,
  continued,
  getOf,
  type H2Translation,
  headersOnly,
  MALFORMED,
  manyFields,
  OK,
} from './corpus-h2-map.ts';
import { type Field, SCHEME, streamError } from './steps.ts';

/**
 * Where RFC 9113 §8.2.1 calls the request malformed: nghttp2 drops the one
 * field and passes the rest on, so the app never sees the bad bytes.
 */
const FIELD_GAP =
  'RFC 9113 §8.2.1: malformed (a stream error); nghttp2 drops the field and serves the request';

/** GET / without `:authority`, then `extra`. */
function noAuthority(extra: Field[]): Field[] {
  return [[':method', 'GET'], [':scheme', SCHEME], [':path', '/'], ...extra];
}

/** GET / with `:authority` set to `authority`. */
function authority(value: string): Field[] {
  return [
    [':method', 'GET'],
    [':scheme', SCHEME],
    [':path', '/'],
    [':authority', value],
  ];
}

/** Host and header field cases with an HTTP/2 form, by corpus name. */
export const fieldsH2: Record<string, H2Translation> = {
  'HTTP/1.1 without Host': {
    title: 'no :authority and no host field',
    steps: headersOnly(noAuthority([])),
    ...both(MALFORMED),
  },
  'two Host fields': {
    title: 'no :authority, host: a and host: b',
    steps: headersOnly(
      noAuthority([
        ['host', 'a'],
        ['host', 'b'],
      ]),
    ),
    ...both(MALFORMED),
  },
  'Host holding a list': {
    title: ':authority a, b',
    steps: headersOnly(authority('a, b')),
    ...both(MALFORMED),
  },
  'Host with userinfo': {
    title: ':authority u@h (RFC 9113 §8.3.1 forbids userinfo)',
    steps: headersOnly(authority('u@h')),
    tsgi: answered(400),
    node: OK,
  },
  'Host with a bad port': {
    title: ':authority h:abc',
    steps: headersOnly(authority('h:abc')),
    tsgi: answered(400),
    node: OK,
  },
  'empty Host': {
    title: 'an empty :authority',
    steps: headersOnly(authority('')),
    ...both(MALFORMED),
  },
  'space before the colon': {
    title: 'a field named `x-a ` (a space in the name)',
    steps: getOf('/', [['x-a ', 'b']]),
    ...both(OK),
    gap: FIELD_GAP,
  },
  'bare CR in a value': {
    title: 'a value holding CR',
    steps: getOf('/', [['x', 'a\rb']]),
    ...both(OK),
    seen: { x: null },
    gap: FIELD_GAP,
  },
  'NUL in a value': {
    title: 'a value holding NUL',
    steps: getOf('/', [['x', 'a\0b']]),
    ...both(OK),
    seen: { x: null },
    gap: FIELD_GAP,
  },
  'bare LF between fields': {
    title: 'a value holding LF and what would be a second field after it',
    steps: getOf('/', [['x', 'y\nx-smuggled: z']]),
    ...both(OK),
    seen: { x: null },
    gap: FIELD_GAP,
  },
  'empty field value': {
    title: 'x-empty with an empty value',
    steps: getOf('/', [['x-empty', '']]),
    ...both(OK),
  },
  'long field under the limit': {
    title: 'a field of 8,000 bytes',
    steps: getOf('/', [['x-big', 'a'.repeat(8000)]]),
    ...both(OK),
  },
  'head over `maxHeaderSize`': {
    title: 'two fields of 10,000 bytes, in CONTINUATION frames: over SETTINGS_MAX_HEADER_LIST_SIZE',
    steps: continued([
      ['x-big1', 'a'.repeat(10_000)],
      ['x-big2', 'a'.repeat(10_000)],
    ]),
    tsgi: streamError('ENHANCE_YOUR_CALM'),
    node: OK,
  },
  'more than `maxHeadersCount` fields': {
    title: '101 fields besides the pseudo-headers',
    steps: getOf('/', manyFields(101)),
    tsgi: answered(431),
    node: OK,
  },
  'exactly 100 fields': {
    title: '99 fields and :authority (as host)',
    steps: getOf('/', manyFields(99)),
    ...both(OK),
  },
  'field name with `_`': {
    title: 'a field named x_user',
    steps: getOf('/', [['x_user', 'a']]),
    ...both(OK),
  },
  'Upgrade the server ignores': {
    title: 'upgrade: websocket (connection-specific, RFC 9113 §8.2.2)',
    steps: getOf('/', [['upgrade', 'websocket']]),
    ...both(MALFORMED),
  },
  'unknown expectation': {
    title: 'expect: foo',
    steps: getOf('/', [['expect', 'foo']]),
    // RFC 9110 §10.1.1: a server may answer 417 to an expectation it does not support.
    ...both(answered(417)),
  },
};

/**
 * HTTP/2 field cases the corpus has no line for: HTTP/1.1 names are
 * case-insensitive, HTTP/2 names must be lower-case (RFC 9113 §8.2.1), and
 * HPACK can carry an empty name, which no HTTP/1.1 line can.
 */
export const h2OnlyFieldCases: Record<string, H2Translation> = {
  'upper-case field name': {
    title: 'a field named X-Upper',
    steps: getOf('/', [['X-Upper', 'a']]),
    ...both(MALFORMED),
  },
  'empty field name': {
    title: 'a field with an empty name',
    steps: getOf('/', [['', 'a']]),
    ...both(OK),
    gap: FIELD_GAP,
  },
};
