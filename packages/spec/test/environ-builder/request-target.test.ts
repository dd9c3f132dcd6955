import { describe, expect, it } from 'vitest';
import {
  buildEnviron,
  type EnvironContext,
  type InputStream,
  isProblem,
  type RequestHead,
} from '../../src/index.ts';

const context: EnvironContext = {
  options: { scriptName: '', maxUrlLength: 8192, maxHeadersCount: 100, multiprocess: false },
  errors: { write() {}, flush() {} },
  trust: undefined,
};

/** A GET of `target` with these raw headers, as the HTTP transport gives it. */
function head(target: string, headers: readonly string[]): RequestHead {
  return {
    method: 'GET',
    target,
    protocol: 'HTTP/1.1',
    headers,
    remoteAddr: '127.0.0.1',
    remotePort: '40000',
    scheme: 'http',
    localAddress: '127.0.0.1',
    localPort: 8000,
    openInput: () => ({}) as InputStream,
  };
}

const KEYS = [
  'HTTP_HOST',
  'SERVER_NAME',
  'SERVER_PORT',
  'PATH_INFO',
  'QUERY_STRING',
  'REQUEST_URI',
];

// RFC 9112 §3.2.2: with an absolute-form target, the server ignores Host and
// uses the target's authority; the rest of the environ is that of its origin-form.
describe('the request target and Host', () => {
  const served: Array<[string, string, string[], Record<string, string>]> = [
    [
      'origin-form: Host names the server',
      '/x?q=1',
      ['Host', 'b.example'],
      {
        HTTP_HOST: 'b.example',
        SERVER_NAME: 'b.example',
        SERVER_PORT: '80',
        PATH_INFO: '/x',
        QUERY_STRING: 'q=1',
        REQUEST_URI: '/x?q=1',
      },
    ],
    [
      'absolute-form: its authority wins over another Host',
      'http://a.example/x',
      ['Host', 'b.example'],
      {
        HTTP_HOST: 'a.example',
        SERVER_NAME: 'a.example',
        SERVER_PORT: '80',
        PATH_INFO: '/x',
        QUERY_STRING: '',
        REQUEST_URI: '/x',
      },
    ],
    [
      'absolute-form with a port and a query',
      'http://a.example:8080/p/q?r=1',
      ['Host', 'b.example:9'],
      {
        HTTP_HOST: 'a.example:8080',
        SERVER_NAME: 'a.example',
        SERVER_PORT: '8080',
        PATH_INFO: '/p/q',
        QUERY_STRING: 'r=1',
        REQUEST_URI: '/p/q?r=1',
      },
    ],
    [
      'absolute-form without a path',
      'http://[::1]:81?s',
      ['Host', 'b.example'],
      {
        HTTP_HOST: '[::1]:81',
        SERVER_NAME: '[::1]',
        SERVER_PORT: '81',
        PATH_INFO: '/',
        QUERY_STRING: 's',
        REQUEST_URI: '/?s',
      },
    ],
    [
      'absolute-form without Host (HTTP/1.0 style)',
      'http://a.example/x',
      [],
      {
        HTTP_HOST: 'a.example',
        SERVER_NAME: 'a.example',
        SERVER_PORT: '80',
        PATH_INFO: '/x',
        QUERY_STRING: '',
        REQUEST_URI: '/x',
      },
    ],
  ];

  it.each(served)('%s', (_name, target, headers, expected) => {
    const environ = buildEnviron(head(target, headers), context);
    if (isProblem(environ)) throw new Error(`refused: ${environ.status} ${environ.message}`);
    const seen = Object.fromEntries(KEYS.map((key) => [key, environ[key]]));
    expect(seen).toEqual(expected);
  });

  const refused: Array<[string, string, string[], number, RegExp]> = [
    ['userinfo in the authority', 'http://u@a.example/x', ['Host', 'a.example'], 400, /userinfo/],
    ['an empty authority', 'http:///x', ['Host', 'a.example'], 400, /empty host/],
    ['an authority that is not a host', 'http://a b/x', ['Host', 'a.example'], 400, /Host/],
    ['a target that is not a path', 'x/y', ['Host', 'a.example'], 400, /path/],
    ['a fragment in the target', '/a#b', ['Host', 'a.example'], 400, /fragment/],
    ['a fragment in an absolute-form target', 'http://a.example/a#b', [], 400, /fragment/],
  ];

  it.each(refused)('refuses %s', (_name, target, headers, status, message) => {
    const problem = buildEnviron(head(target, headers), context);
    expect(isProblem(problem)).toBe(true);
    expect(problem).toMatchObject({ status, message: expect.stringMatching(message) });
  });
});
