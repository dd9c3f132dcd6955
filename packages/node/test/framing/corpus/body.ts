import type { FramingCase } from './case.js';
import { CLOSE, chunked, post } from './shapes.js';

/** Corpus cases: message body framing and the trailer section (RFC 9112 §6, §7; RFC 9110 §6.5). */
export const bodyCases: readonly FramingCase[] = [
  // message body framing (RFC 9112 §6, §7)
  {
    name: 'Content-Length body',
    rfc: 'RFC 9112 §6.2',
    request: post('Content-Length: 3\r\n', 'abc'),
    tsgi: [200],
  },
  {
    name: 'GET with a body',
    rfc: 'RFC 9110 §9.3.1',
    request: `GET / HTTP/1.1\r\n${CLOSE}Content-Length: 3\r\n\r\nabc`,
    tsgi: [200],
  },
  {
    name: 'Content-Length: 0',
    rfc: 'RFC 9112 §6.2',
    request: post('Content-Length: 0\r\n', ''),
    tsgi: [200],
  },
  {
    name: 'Content-Length with Transfer-Encoding',
    rfc: 'RFC 9112 §6.3',
    request: post('Content-Length: 3\r\nTransfer-Encoding: chunked\r\n', '3\r\nabc\r\n0\r\n\r\n'),
    tsgi: [400],
  },
  {
    name: 'two different Content-Length',
    rfc: 'RFC 9112 §6.3',
    request: post('Content-Length: 3\r\nContent-Length: 4\r\n', 'abcd'),
    tsgi: [400],
  },
  {
    name: 'Content-Length list `3, 3`',
    rfc: 'RFC 9110 §8.6',
    request: post('Content-Length: 3, 3\r\n', 'abc'),
    tsgi: [400],
  },
  {
    name: 'Content-Length `+3`',
    rfc: 'RFC 9110 §8.6',
    request: post('Content-Length: +3\r\n', 'abc'),
    tsgi: [400],
  },
  {
    name: 'negative Content-Length',
    rfc: 'RFC 9110 §8.6',
    request: post('Content-Length: -1\r\n', ''),
    tsgi: [400],
  },
  { name: 'chunked body', rfc: 'RFC 9112 §7.1', request: chunked(''), tsgi: [200] },
  {
    name: 'chunk extension',
    rfc: 'RFC 9112 §7.1.1',
    request: post('Transfer-Encoding: chunked\r\n', '3;a=b\r\nabc\r\n0\r\n\r\n'),
    tsgi: [200],
  },
  {
    name: 'Transfer-Encoding `CHUNKED` (case-insensitive)',
    rfc: 'RFC 9112 §7',
    request: post('Transfer-Encoding: CHUNKED\r\n', '3\r\nabc\r\n0\r\n\r\n'),
    tsgi: [200],
  },
  {
    name: 'bad chunk size',
    rfc: 'RFC 9112 §7.1',
    request: post('Transfer-Encoding: chunked\r\n', 'zz\r\nabc\r\n0\r\n\r\n'),
    tsgi: [400],
  },
  {
    name: 'chunk size overflowing 64 bits',
    rfc: 'RFC 9112 §7.1',
    request: post('Transfer-Encoding: chunked\r\n', 'fffffffffffffffff\r\nabc\r\n0\r\n\r\n'),
    tsgi: [400],
  },
  {
    name: 'chunk data without its CRLF',
    rfc: 'RFC 9112 §7.1',
    request: post('Transfer-Encoding: chunked\r\n', '3\r\nabcX0\r\n\r\n'),
    tsgi: [400],
  },
  {
    name: 'chunked with bare LF',
    rfc: 'RFC 9112 §7.1',
    request: post('Transfer-Encoding: chunked\r\n', '3\nabc\n0\n\n'),
    tsgi: [400],
  },
  {
    name: '`Transfer-Encoding: gzip, chunked`',
    rfc: 'RFC 9112 §6.1',
    request: post('Transfer-Encoding: gzip, chunked\r\n', '3\r\nabc\r\n0\r\n\r\n'),
    tsgi: [501],
    node: [200],
  },
  {
    name: 'Transfer-Encoding without chunked',
    rfc: 'RFC 9112 §6.3',
    request: post('Transfer-Encoding: gzip\r\n', 'abc'),
    tsgi: [400],
  },
  {
    name: '`chunked, chunked`',
    rfc: 'RFC 9112 §7',
    request: post('Transfer-Encoding: chunked, chunked\r\n', '3\r\nabc\r\n0\r\n\r\n'),
    tsgi: [400],
  },
  {
    name: 'Transfer-Encoding on two lines',
    rfc: 'RFC 9112 §7',
    request: post(
      'Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n',
      '3\r\nabc\r\n0\r\n\r\n',
    ),
    tsgi: [400],
  },
  {
    name: '`Transfer-Encoding: identity`',
    rfc: 'RFC 9112 §6.3',
    request: post('Transfer-Encoding: identity\r\nContent-Length: 3\r\n', 'abc'),
    tsgi: [400],
  },
  {
    name: 'empty Transfer-Encoding',
    rfc: 'RFC 9112 §6.3',
    request: post('Transfer-Encoding: \r\n', ''),
    tsgi: [400],
    node: [200],
  },
  {
    name: 'chunked in an HTTP/1.0 request',
    rfc: 'RFC 9112 §6.1',
    request: 'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
    tsgi: [400],
    node: [200],
  },
  {
    name: 'HTTP/1.0 with Content-Length and Transfer-Encoding',
    rfc: 'RFC 9112 §6.1',
    request: 'POST / HTTP/1.0\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc',
    tsgi: [400],
  },

  // trailer section (RFC 9110 §6.5)
  {
    name: 'trailer field the server ignores',
    rfc: 'RFC 9110 §6.5.2',
    request: chunked('X-Checksum: 1\r\n'),
    tsgi: [200],
  },
  {
    name: '`Host` in the trailer',
    rfc: 'RFC 9110 §6.5.1',
    request: chunked('Host: evil\r\n'),
    tsgi: [400],
    node: [200],
  },
  {
    name: '`Content-Length` in the trailer',
    rfc: 'RFC 9110 §6.5.1',
    request: chunked('Content-Length: 5\r\n'),
    tsgi: [400],
  },
  {
    name: '`Transfer-Encoding` in the trailer',
    rfc: 'RFC 9110 §6.5.1',
    request: chunked('Transfer-Encoding: chunked\r\n'),
    tsgi: [400],
  },
  {
    name: '`Authorization` in the trailer',
    rfc: 'RFC 9110 §6.5.1',
    request: chunked('Authorization: Basic eDp5\r\n'),
    tsgi: [400],
    node: [200],
  },
  {
    name: '`Content-Type` in the trailer',
    rfc: 'RFC 9110 §6.5.1',
    request: chunked('Content-Type: text/evil\r\n'),
    tsgi: [400],
    node: [200],
  },
];
