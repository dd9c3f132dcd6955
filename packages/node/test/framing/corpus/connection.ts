import type { FramingCase } from './case.js';
import { get } from './shapes.js';

/** Corpus cases: connection management and pipelining (RFC 9112 §9). */
export const connectionCases: readonly FramingCase[] = [
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
