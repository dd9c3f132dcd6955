import type { Environ } from '@tsgi/spec';
import { jsonResponse } from '@tsgi/spec';
import { describe, expect, it } from 'vitest';
import { parseHead, rawRequest, start } from './helpers.js';

/** An app that answers with its environ's string keys and a few tsgi ones as JSON. */
function environApp(seen?: Environ[]) {
  return (environ: Environ, startResponse: Parameters<typeof jsonResponse>[0]) => {
    seen?.push(environ);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(environ)) {
      if (typeof value === 'string') out[key] = value;
    }
    out['tsgi.version'] = environ['tsgi.version'];
    out['tsgi.url_scheme'] = environ['tsgi.url_scheme'];
    out['tsgi.multithread'] = environ['tsgi.multithread'];
    out['tsgi.multiprocess'] = environ['tsgi.multiprocess'];
    out['tsgi.run_once'] = environ['tsgi.run_once'];
    return jsonResponse(startResponse, 200, out);
  };
}

async function environOf(port: number, request: string): Promise<Record<string, unknown>> {
  const result = await rawRequest(port, request);
  const { status, body } = parseHead(result.text);
  expect(status).toBe(200);
  return JSON.parse(body) as Record<string, unknown>;
}

describe('environ', () => {
  it('has every CGI key, HTTP_* for headers and the tsgi keys', async () => {
    const server = await start(environApp());
    const env = await environOf(
      server.port,
      'GET /a%20b/c%C3%A9?x=1&y=%20 HTTP/1.1\r\nHost: example.test:8080\r\nUser-Agent: t\r\nX-Many: 1\r\nX-Many: 2\r\nCookie: a=1\r\nCookie: b=2\r\nConnection: close\r\n\r\n',
    );
    expect(env).toMatchObject({
      REQUEST_METHOD: 'GET',
      SCRIPT_NAME: '',
      PATH_INFO: '/a b/cé',
      QUERY_STRING: 'x=1&y=%20',
      REQUEST_URI: '/a%20b/c%C3%A9?x=1&y=%20',
      SERVER_NAME: 'example.test',
      SERVER_PORT: '8080',
      SERVER_PROTOCOL: 'HTTP/1.1',
      REMOTE_ADDR: '127.0.0.1',
      HTTP_HOST: 'example.test:8080',
      HTTP_USER_AGENT: 't',
      HTTP_X_MANY: '1, 2',
      HTTP_COOKIE: 'a=1; b=2',
      'tsgi.version': [1, 0],
      'tsgi.url_scheme': 'http',
      'tsgi.multithread': true,
      'tsgi.multiprocess': false,
      'tsgi.run_once': false,
    });
    expect(env.REMOTE_PORT).toMatch(/^\d+$/);
    expect(env).not.toHaveProperty('CONTENT_TYPE');
    expect(env).not.toHaveProperty('CONTENT_LENGTH');
  });

  it('puts Content-Type/-Length only in CONTENT_TYPE/CONTENT_LENGTH', async () => {
    const server = await start(environApp());
    const env = await environOf(
      server.port,
      'POST /p HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc',
    );
    expect(env.CONTENT_TYPE).toBe('text/plain');
    expect(env.CONTENT_LENGTH).toBe('3');
    expect(env).not.toHaveProperty('HTTP_CONTENT_TYPE');
    expect(env).not.toHaveProperty('HTTP_CONTENT_LENGTH');
  });

  it('drops header names with "_" so they cannot pose as "-" ones', async () => {
    const server = await start(environApp());
    const env = await environOf(
      server.port,
      'GET / HTTP/1.1\r\nHost: h\r\nX_User: evil\r\nX-User: real\r\nConnection: close\r\n\r\n',
    );
    expect(env.HTTP_X_USER).toBe('real');
  });

  it('answers 400 to a path with invalid percent-encoding, before the app runs', async () => {
    let calls = 0;
    const server = await start((environ, startResponse) => {
      calls++;
      return environApp()(environ, startResponse);
    });
    for (const path of ['/%E0%A4%A', '/%FF', '/a%00b', '/%zz']) {
      const result = await rawRequest(server.port, `GET ${path} HTTP/1.1\r\nHost: h\r\n\r\n`);
      const { status, body } = parseHead(result.text);
      expect(status, path).toBe(400);
      expect(body).toMatch(/percent-encoding/);
    }
    expect(calls).toBe(0);
  });

  it('fills SERVER_NAME/PORT from the listener on HTTP/1.0 without Host', async () => {
    const server = await start(environApp());
    const env = await environOf(server.port, 'GET / HTTP/1.0\r\n\r\n');
    expect(env.SERVER_NAME).toBe('127.0.0.1');
    expect(env.SERVER_PORT).toBe(String(server.port));
    expect(env.SERVER_PROTOCOL).toBe('HTTP/1.0');
    expect(env).not.toHaveProperty('HTTP_HOST');
  });

  it('turns an absolute-form target into origin form', async () => {
    const server = await start(environApp());
    const env = await environOf(
      server.port,
      'GET http://example.test/x/y?q=1 HTTP/1.1\r\nHost: example.test\r\nConnection: close\r\n\r\n',
    );
    expect(env).toMatchObject({ PATH_INFO: '/x/y', QUERY_STRING: 'q=1', REQUEST_URI: '/x/y?q=1' });
  });

  it("takes an absolute-form target's authority over the Host header (RFC 9112 §3.2.2)", async () => {
    const server = await start(environApp());
    const env = await environOf(
      server.port,
      'GET http://a.example:8080/x HTTP/1.1\r\nHost: b.example\r\nConnection: close\r\n\r\n',
    );
    expect(env).toMatchObject({
      HTTP_HOST: 'a.example:8080',
      SERVER_NAME: 'a.example',
      SERVER_PORT: '8080',
      PATH_INFO: '/x',
      REQUEST_URI: '/x',
    });
  });

  it('passes OPTIONS * with an empty PATH_INFO', async () => {
    const server = await start(environApp());
    const env = await environOf(
      server.port,
      'OPTIONS * HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n',
    );
    expect(env).toMatchObject({
      REQUEST_METHOD: 'OPTIONS',
      REQUEST_URI: '*',
      PATH_INFO: '',
      SCRIPT_NAME: '',
    });
  });

  it('answers 400 to an invalid Host', async () => {
    const server = await start(environApp());
    const result = await rawRequest(server.port, 'GET / HTTP/1.1\r\nHost: a b@c\r\n\r\n');
    expect(parseHead(result.text).status).toBe(400);
  });

  it('sets tsgi.multiprocess and SCRIPT_NAME from the options', async () => {
    const server = await start(environApp(), { multiprocess: true, scriptName: '/api' });
    const env = await environOf(
      server.port,
      'GET /api/items HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n',
    );
    expect(env).toMatchObject({
      SCRIPT_NAME: '/api',
      PATH_INFO: '/items',
      'tsgi.multiprocess': true,
    });
    const outside = await environOf(
      server.port,
      'GET /other HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n',
    );
    expect(outside).toMatchObject({ SCRIPT_NAME: '', PATH_INFO: '/other' });
  });

  it('gives IPv6 peers their address', async () => {
    const server = await start(environApp(), { host: '::1' });
    const result = await new Promise<string>((resolve, reject) => {
      import('node:http').then(({ get }) => {
        get({ host: '::1', port: server.address.port, path: '/' }, (res) => {
          let body = '';
          res.on('data', (c) => {
            body += c;
          });
          res.on('end', () => resolve(body));
        }).on('error', reject);
      });
    });
    const env = JSON.parse(result) as Record<string, string>;
    expect(env.REMOTE_ADDR).toBe('::1');
    expect(env.SERVER_NAME).toBe('[::1]');
  });
});
