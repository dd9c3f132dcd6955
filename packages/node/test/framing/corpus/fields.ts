import type { FramingCase } from './case.js';
import { CLOSE, manyHeaders, withHeader } from './shapes.js';

/** Corpus cases: Host and the other header fields (RFC 9112 §3.2, §5; RFC 9110 §5, §7). */
export const fieldsCases: readonly FramingCase[] = [
  // Host (RFC 9112 §3.2, RFC 9110 §7.2)
  {
    name: 'HTTP/1.1 without Host',
    rfc: 'RFC 9112 §3.2',
    request: 'GET / HTTP/1.1\r\nConnection: close\r\n\r\n',
    tsgi: [400],
  },
  {
    name: 'two Host fields',
    rfc: 'RFC 9112 §3.2',
    request: 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n',
    tsgi: [400],
    node: [200],
  },
  {
    name: 'Host holding a list',
    rfc: 'RFC 9112 §3.2',
    request: 'GET / HTTP/1.1\r\nHost: a, b\r\nConnection: close\r\n\r\n',
    tsgi: [400],
    node: [200],
  },
  {
    name: 'Host with userinfo',
    rfc: 'RFC 9110 §4.2.4',
    request: 'GET / HTTP/1.1\r\nHost: u@h\r\nConnection: close\r\n\r\n',
    tsgi: [400],
    node: [200],
  },
  {
    name: 'Host with a bad port',
    rfc: 'RFC 9110 §7.2',
    request: 'GET / HTTP/1.1\r\nHost: h:abc\r\nConnection: close\r\n\r\n',
    tsgi: [400],
    node: [200],
  },
  {
    name: 'empty Host',
    rfc: 'RFC 9110 §4.2.1, RFC 9112 §3.2',
    request: 'GET / HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n',
    tsgi: [400],
    node: [200],
  },

  // header fields (RFC 9112 §5, RFC 9110 §5)
  {
    name: 'obs-fold (rejected, as the RFC allows)',
    rfc: 'RFC 9112 §5.2',
    request: withHeader('X-A: one\r\n two'),
    tsgi: [400],
  },
  {
    name: 'whitespace before the first field',
    rfc: 'RFC 9112 §2.2',
    request: `GET / HTTP/1.1\r\n X-A: b\r\n${CLOSE}\r\n`,
    tsgi: [400],
  },
  {
    name: 'space before the colon',
    rfc: 'RFC 9112 §5.1',
    request: withHeader('X-A : b'),
    tsgi: [400],
  },
  {
    name: 'field without a colon',
    rfc: 'RFC 9112 §5',
    request: withHeader('NoColon'),
    tsgi: [400],
  },
  { name: 'bare CR in a value', rfc: 'RFC 9112 §2.2', request: withHeader('X: a\rb'), tsgi: [400] },
  { name: 'NUL in a value', rfc: 'RFC 9110 §5.5', request: withHeader('X: a\0b'), tsgi: [400] },
  {
    name: 'bare LF between fields',
    rfc: 'RFC 9112 §2.2',
    request: `GET / HTTP/1.1\r\nHost: h\nX: y\r\nConnection: close\r\n\r\n`,
    tsgi: [400],
  },
  { name: 'empty field value', rfc: 'RFC 9110 §5.5', request: withHeader('X-Empty:'), tsgi: [200] },
  {
    name: 'long field under the limit',
    rfc: 'RFC 9110 §5.4',
    request: withHeader(`X-Big: ${'a'.repeat(8000)}`),
    tsgi: [200],
  },
  {
    name: 'head over `maxHeaderSize`',
    rfc: 'RFC 6585 §5',
    request: withHeader(`X-Big: ${'a'.repeat(20_000)}`),
    tsgi: [431],
  },
  {
    name: 'more than `maxHeadersCount` fields',
    rfc: 'RFC 6585 §5',
    request: manyHeaders(101),
    tsgi: [431],
    node: [200],
  },
  { name: 'exactly 100 fields', rfc: 'RFC 6585 §5', request: manyHeaders(100), tsgi: [200] },
  {
    name: 'field name with `_`',
    rfc: 'RFC 9110 §5.1',
    request: withHeader('X_User: a'),
    tsgi: [200],
  },
  {
    name: 'Upgrade the server ignores',
    rfc: 'RFC 9110 §7.8',
    request: withHeader('Upgrade: websocket'),
    tsgi: [200],
  },
  {
    name: 'unknown expectation',
    rfc: 'RFC 9110 §10.1.1',
    request: withHeader('Expect: foo'),
    tsgi: [417],
  },
];
