import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { applicationUri, pathInfoUri, requestOrigin, requestUri } from '../src/index.ts';
import { makeEnviron } from './harness.ts';

describe('applicationUri and requestUri', () => {
  const base = { HTTP_HOST: undefined, SERVER_NAME: '127.0.0.1', SERVER_PORT: '80' };

  test.each([
    [{ ...base }, 'http://127.0.0.1/', 'http://127.0.0.1/items'],
    [{ ...base, SERVER_PORT: '8002' }, 'http://127.0.0.1:8002/', 'http://127.0.0.1:8002/items'],
    [
      { ...base, 'tsgi.url_scheme': 'https', SERVER_PORT: '443' },
      'https://127.0.0.1/',
      'https://127.0.0.1/items',
    ],
    [
      { ...base, 'tsgi.url_scheme': 'https', SERVER_PORT: '80' },
      'https://127.0.0.1:80/',
      'https://127.0.0.1:80/items',
    ],
    [
      { ...base, SERVER_NAME: '[::1]', SERVER_PORT: '8080' },
      'http://[::1]:8080/',
      'http://[::1]:8080/items',
    ],
    [
      { ...base, SERVER_NAME: '::1', SERVER_PORT: '8080' },
      'http://[::1]:8080/',
      'http://[::1]:8080/items',
    ],
    [
      { HTTP_HOST: 'example.com:8002' },
      'http://example.com:8002/',
      'http://example.com:8002/items',
    ],
    [{ HTTP_HOST: 'example.com:80' }, 'http://example.com/', 'http://example.com/items'],
    [{ HTTP_HOST: '[::1]:9000' }, 'http://[::1]:9000/', 'http://[::1]:9000/items'],
    [{ HTTP_HOST: '[::1]' }, 'http://[::1]/', 'http://[::1]/items'],
  ])('%j', (overrides, app, request) => {
    const environ = makeEnviron(overrides);
    expect(applicationUri(environ)).toBe(app);
    expect(requestUri(environ)).toBe(request);
  });

  test('mounted application, query kept raw, re-quoted path', () => {
    const environ = makeEnviron({
      HTTP_HOST: 'h',
      SCRIPT_NAME: '/my app',
      PATH_INFO: '/café/a?b#c%d',
      QUERY_STRING: 'q=caf%C3%A9&x',
      REQUEST_URI: '/my%20app/caf%C3%A9/a%3Fb%23c%25d?q=caf%C3%A9&x',
    });
    expect(applicationUri(environ)).toBe('http://h/my%20app');
    expect(requestUri(environ)).toBe('http://h/my%20app/caf%C3%A9/a%3Fb%23c%25d?q=caf%C3%A9&x');
    expect(requestUri(environ, false)).toBe('http://h/my%20app/caf%C3%A9/a%3Fb%23c%25d');
  });

  test('empty query adds no "?"', () => {
    expect(requestUri(makeEnviron({ HTTP_HOST: 'h' }))).toBe('http://h/items');
  });

  const segment = fc
    .string({ maxLength: 6 })
    .filter((s) => !s.includes('/') && !/^(\.|%2e){1,2}$/i.test(s) && !s.includes('\0'));
  const path = fc
    .array(segment, { maxLength: 5 })
    .map((parts) => parts.map((p) => `/${p}`).join(''));

  test('property: the rebuilt URL parses and decodes back to SCRIPT_NAME + PATH_INFO', () => {
    fc.assert(
      fc.property(
        path.filter((p) => !p.endsWith('/')),
        path,
        fc.constantFrom('', 'a=1', 'q=%20&x'),
        fc.constantFrom('http', 'https'),
        (script, pathInfo, query, scheme) => {
          const environ = makeEnviron({
            HTTP_HOST: undefined,
            SERVER_NAME: '[::1]',
            SERVER_PORT: '8443',
            'tsgi.url_scheme': scheme,
            SCRIPT_NAME: script,
            PATH_INFO: pathInfo,
            QUERY_STRING: query,
          });
          const url = new URL(requestUri(environ));
          expect(url.protocol).toBe(`${scheme}:`);
          expect(url.host).toBe('[::1]:8443');
          expect(decodeURIComponent(url.pathname)).toBe(script + pathInfo || '/');
          expect(url.search).toBe(query ? `?${query}` : '');
          const app = new URL(applicationUri(environ));
          expect(decodeURIComponent(app.pathname)).toBe(script || '/');
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('requestOrigin and pathInfoUri', () => {
  test('the origin leaves out the default port; pathInfoUri leaves out SCRIPT_NAME', () => {
    const environ = makeEnviron({
      HTTP_HOST: 'example.com:80',
      SCRIPT_NAME: '/api',
      PATH_INFO: '/caf\u00e9 au lait',
      QUERY_STRING: 'a=1',
    });
    expect(requestOrigin(environ)).toBe('http://example.com');
    expect(pathInfoUri(environ)).toBe('http://example.com/caf%C3%A9%20au%20lait?a=1');
    expect(pathInfoUri(environ, false)).toBe('http://example.com/caf%C3%A9%20au%20lait');
    expect(requestUri(environ, false)).toBe('http://example.com/api/caf%C3%A9%20au%20lait');
  });

  test('an empty PATH_INFO is the root', () => {
    const environ = makeEnviron({ HTTP_HOST: 'h', SCRIPT_NAME: '/api', PATH_INFO: '' });
    expect(pathInfoUri(environ)).toBe('http://h/');
  });
});
