/**
 * Header field rules for requests (RFC 9113 §8.2, §8.3): a malformed request
 * is a stream error of type PROTOCOL_ERROR (§8.1.1).
 */
import { type Field, type FrameCase, get, req, SCHEME, streamError } from './steps.ts';

/** A GET on stream 1 whose header list is `fields`, exactly. */
function malformed(name: string, section: string, title: string, fields: Field[]): FrameCase {
  return {
    name,
    section,
    title,
    steps: [{ op: 'headers', stream: 1, fields, endStream: true }],
    rfc: streamError(),
  };
}

const METHOD: Field = [':method', 'GET'];
const SCHEME_FIELD: Field = [':scheme', SCHEME];
const PATH: Field = [':path', '/'];
const AUTHORITY: Field = [':authority', 'localhost'];

/** The header field cases. */
export const FIELD_CASES: FrameCase[] = [
  malformed(
    '8.2-uppercase-field-name',
    '8.2',
    'a field named X-Upper',
    req('/', [['X-Upper', 'a']]),
  ),
  malformed(
    '8.2.1-field-value-with-newline',
    '8.2.1',
    'a field value holding CR LF',
    req('/', [['x-split', 'a\r\nb']]),
  ),
  malformed(
    '8.2.2-connection-header',
    '8.2.2',
    'connection: keep-alive',
    req('/', [['connection', 'keep-alive']]),
  ),
  malformed(
    '8.2.2-keep-alive-header',
    '8.2.2',
    'keep-alive: timeout=5',
    req('/', [['keep-alive', 'timeout=5']]),
  ),
  malformed(
    '8.2.2-proxy-connection-header',
    '8.2.2',
    'proxy-connection: keep-alive',
    req('/', [['proxy-connection', 'keep-alive']]),
  ),
  malformed(
    '8.2.2-transfer-encoding-header',
    '8.2.2',
    'transfer-encoding: chunked',
    req('/', [['transfer-encoding', 'chunked']]),
  ),
  malformed(
    '8.2.2-upgrade-header',
    '8.2.2',
    'upgrade: websocket',
    req('/', [['upgrade', 'websocket']]),
  ),
  malformed('8.2.2-te-not-trailers', '8.2.2', 'te: gzip', req('/', [['te', 'gzip']])),
  {
    name: '8.2.2-te-trailers-allowed',
    section: '8.2.2',
    title: 'te: trailers, the one value allowed',
    steps: [get(1, '/', [['te', 'trailers']])],
    rfc: { response: { stream: 1, status: 200, body: 'hello' } },
  },
  malformed('8.3-pseudo-header-after-regular', '8.3', ':path after a regular field', [
    METHOD,
    SCHEME_FIELD,
    ['x-first', 'a'],
    PATH,
    AUTHORITY,
  ]),
  malformed(
    '8.3-unknown-pseudo-header',
    '8.3',
    'a :foo pseudo-header',
    req('/', [[':foo', 'bar']]),
  ),
  malformed('8.3.1-missing-method', '8.3.1', 'no :method', [SCHEME_FIELD, PATH, AUTHORITY]),
  malformed('8.3.1-missing-scheme', '8.3.1', 'no :scheme', [METHOD, PATH, AUTHORITY]),
  malformed('8.3.1-missing-path', '8.3.1', 'no :path', [METHOD, SCHEME_FIELD, AUTHORITY]),
  malformed('8.3.1-empty-path', '8.3.1', ':path empty', [
    METHOD,
    SCHEME_FIELD,
    [':path', ''],
    AUTHORITY,
  ]),
  malformed('8.3.1-duplicate-method', '8.3.1', ':method twice', [
    METHOD,
    METHOD,
    SCHEME_FIELD,
    PATH,
    AUTHORITY,
  ]),
  malformed('8.3.1-duplicate-path', '8.3.1', ':path twice', [
    METHOD,
    SCHEME_FIELD,
    PATH,
    PATH,
    AUTHORITY,
  ]),
  malformed(
    '8.3.2-response-pseudo-header-in-request',
    '8.3.2',
    ':status in a request',
    req('/', [[':status', '200']]),
  ),
];
