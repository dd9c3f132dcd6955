/**
 * The framing corpus: raw HTTP/1.x requests, each with the RFC section it
 * tests and what `@tsgi/node` answers. `corpus.test.ts` sends every request
 * over a real socket to `serve()` and to a plain `http.createServer`, and the
 * "What we reject beyond Node" table of the README is generated from the cases
 * marked `beyondNode` (with raw `node:http`'s outcome, checked live).
 *
 * An outcome is the list of status codes read back on the connection, in
 * order; `[]` means the connection was closed without an answer.
 */
export interface FramingCase {
  /** What the request does, as the README table shows it. */
  readonly name: string;
  /** The section it tests, e.g. `RFC 9112 §6.1`. */
  readonly rfc: string;
  /** The bytes sent (latin1). */
  readonly request: string;
  /** What `@tsgi/node` answers. */
  readonly tsgi: readonly number[];
  /** For the README table: raw `node:http`'s outcome, when it differs from `tsgi`. */
  readonly node?: readonly number[];
}

/** `Host` and `Connection: close`, so every exchange ends with the server closing. */
const CLOSE = 'Host: h\r\nConnection: close\r\n';
const get = (target: string, version = 'HTTP/1.1') => `GET ${target} ${version}\r\n${CLOSE}\r\n`;
const post = (headers: string, body: string) => `POST / HTTP/1.1\r\n${CLOSE}${headers}\r\n${body}`;
const chunked = (trailer: string) =>
  post('Transfer-Encoding: chunked\r\n', `3\r\nabc\r\n0\r\n${trailer}\r\n`);
const withHeader = (line: string) => `GET / HTTP/1.1\r\n${CLOSE}${line}\r\n\r\n`;
const manyHeaders = (n: number) =>
  `GET / HTTP/1.1\r\n${CLOSE}${Array.from({ length: n - 2 }, (_, i) => `X-H${i}: v\r\n`).join('')}\r\n`;

/** Every case; names are unique. */
export const corpus: readonly FramingCase[] = [
  // request line and version (RFC 9112 §3, §2.3)
  { name: 'plain GET', rfc: 'RFC 9112 §3', request: get('/'), tsgi: [200] },
  {
    name: 'HTTP/1.0 without Host',
    rfc: 'RFC 9112 §3.2',
    request: 'GET / HTTP/1.0\r\n\r\n',
    tsgi: [200],
  },
  {
    name: 'empty lines before the request line',
    rfc: 'RFC 9112 §2.2',
    request: `\r\n${get('/')}`,
    tsgi: [200],
  },
  {
    name: '`HTTP/2.0` on the HTTP/1 parser',
    rfc: 'RFC 9110 §6.2, §15.6.6',
    request: get('/foo', 'HTTP/2.0'),
    tsgi: [505],
    node: [200],
  },
  {
    name: '`HTTP/0.9` request line',
    rfc: 'RFC 9110 §6.2, §15.6.6',
    request: get('/foo', 'HTTP/0.9'),
    tsgi: [505],
    node: [200],
  },
  { name: 'HTTP/1.2', rfc: 'RFC 9112 §2.3', request: get('/', 'HTTP/1.2'), tsgi: [400] },
  { name: 'HTTP/3.0', rfc: 'RFC 9112 §2.3', request: get('/', 'HTTP/3.0'), tsgi: [400] },
  { name: 'lower-case http/1.1', rfc: 'RFC 9112 §2.3', request: get('/', 'http/1.1'), tsgi: [400] },
  {
    name: 'HTTP/2 connection preface',
    rfc: 'RFC 9113 §3.4',
    request: 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
    tsgi: [400],
  },
  {
    name: 'two spaces after the method (parsed leniently, as the RFC allows)',
    rfc: 'RFC 9112 §3',
    request: `GET  / HTTP/1.1\r\n${CLOSE}\r\n`,
    tsgi: [200],
  },
  {
    name: 'tab as separator',
    rfc: 'RFC 9112 §3',
    request: `GET\t/ HTTP/1.1\r\n${CLOSE}\r\n`,
    tsgi: [400],
  },
  {
    name: 'no version (an HTTP/0.9 simple request)',
    rfc: 'RFC 9112 §3, RFC 9110 §15.6.6',
    request: `GET /\r\n${CLOSE}\r\n`,
    tsgi: [505],
    node: [200],
  },
  {
    name: 'lower-case method',
    rfc: 'RFC 9110 §9.1',
    request: `get / HTTP/1.1\r\n${CLOSE}\r\n`,
    tsgi: [400],
  },
  {
    name: 'unknown method',
    rfc: 'RFC 9110 §9.1',
    request: `FOO / HTTP/1.1\r\n${CLOSE}\r\n`,
    tsgi: [400],
  },
  {
    name: 'method with a non-token character',
    rfc: 'RFC 9110 §9.1',
    request: `G@T / HTTP/1.1\r\n${CLOSE}\r\n`,
    tsgi: [400],
  },
  {
    name: 'bare LF after the request line',
    rfc: 'RFC 9112 §2.2',
    request: `GET / HTTP/1.1\n${CLOSE}\r\n`,
    tsgi: [400],
  },

  // request target (RFC 9112 §3.2)
  {
    name: '`GET *` (asterisk-form without OPTIONS)',
    rfc: 'RFC 9112 §3.2.4',
    request: get('*'),
    tsgi: [400],
    node: [200],
  },
  {
    name: '`OPTIONS *`',
    rfc: 'RFC 9112 §3.2.4',
    request: `OPTIONS * HTTP/1.1\r\n${CLOSE}\r\n`,
    tsgi: [200],
  },
  {
    name: '`OPTIONS *?a` (asterisk-form with more)',
    rfc: 'RFC 9112 §3.2.4',
    request: `OPTIONS *?a HTTP/1.1\r\n${CLOSE}\r\n`,
    tsgi: [400],
    node: [200],
  },
  {
    name: 'absolute-form target',
    rfc: 'RFC 9112 §3.2.2',
    request: get('http://h/a?b=1'),
    tsgi: [200],
  },
  {
    name: 'absolute-form with another Host',
    rfc: 'RFC 9112 §3.2.2',
    request: 'GET http://a/x HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n',
    tsgi: [200],
  },
  {
    name: 'absolute-form with an empty Host',
    rfc: 'RFC 9110 §4.2.1',
    request: 'GET http://a/x HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n',
    tsgi: [400],
    node: [200],
  },
  { name: 'authority-form with GET', rfc: 'RFC 9112 §3.2.3', request: get('h:443'), tsgi: [400] },
  {
    name: 'fragment in the target',
    rfc: 'RFC 9112 §3.2',
    request: get('/a#b'),
    tsgi: [400],
    node: [200],
  },
  {
    name: 'invalid percent-encoding in the path',
    rfc: 'RFC 3986 §2.1',
    request: get('/a%zz'),
    tsgi: [400],
    node: [200],
  },
  { name: 'space in the target', rfc: 'RFC 9112 §3.2', request: get('/a b'), tsgi: [400] },
  { name: 'NUL in the target', rfc: 'RFC 9112 §3.2', request: get('/a\0'), tsgi: [400] },
  {
    name: 'long target under the limit',
    rfc: 'RFC 9112 §3',
    request: get(`/${'a'.repeat(4000)}`),
    tsgi: [200],
  },
  {
    name: 'target over `maxUrlLength`',
    rfc: 'RFC 9110 §15.5.15',
    request: get(`/${'a'.repeat(9000)}`),
    tsgi: [414],
    node: [200],
  },
  {
    name: '`CONNECT host:443`',
    rfc: 'RFC 9110 §9.3.6',
    request: 'CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n',
    tsgi: [501],
    node: [],
  },
  {
    name: '`CONNECT` with an origin-form target',
    rfc: 'RFC 9112 §3.2.3',
    request: `CONNECT / HTTP/1.1\r\n${CLOSE}\r\n`,
    tsgi: [501],
    node: [],
  },

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

  // connection management and pipelining (RFC 9112 §9)
  {
    name: 'two pipelined requests',
    rfc: 'RFC 9112 §9.3.2',
    request: `GET /a HTTP/1.1\r\nHost: h\r\n\r\n${get('/b')}`,
    tsgi: [200, 200],
  },
  {
    name: 'pipelined POST then GET',
    rfc: 'RFC 9112 §9.3.2',
    request: `POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc${get('/b')}`,
    tsgi: [200, 200],
  },
  {
    name: 'HTTP/1.0 keep-alive, pipelined',
    rfc: 'RFC 9112 §9.3',
    request: 'GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.0\r\n\r\n',
    tsgi: [200, 200],
  },
  {
    name: 'a request pipelined after an HTTP/1.0 one',
    rfc: 'RFC 9112 §9.3',
    request: `GET /a HTTP/1.0\r\n\r\n${get('/b')}`,
    tsgi: [200],
    node: [400],
  },
  {
    name: 'a request pipelined after `Connection: close`',
    rfc: 'RFC 9112 §9.6',
    request: `${get('/a')}${get('/b')}`,
    tsgi: [200],
    node: [400],
  },
];
