import { describe, expect, it } from 'vitest';
import { rawRequest, start, startUnvalidated } from './helpers.js';
import { request, startUwsgi } from './uwsgi/helpers.js';

/**
 * Checks a whole raw response is one of the server's own plain-text answers:
 * the status, `Content-Type: text/plain; charset=utf-8`, a `Content-Length`
 * equal to the body's byte length, and the body. Returns the lower-cased header lines.
 */
function expectTextAnswer(bytes: Buffer, status: number, body: string | RegExp): string[] {
  const end = bytes.indexOf('\r\n\r\n');
  expect(end).toBeGreaterThan(0);
  const lines = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const headers = lines.slice(1).map((line) => line.toLowerCase());
  const payload = bytes.subarray(end + 4);
  expect(lines[0]).toMatch(new RegExp(`^HTTP/1\\.1 ${status} [A-Za-z]`));
  expect(headers).toContain('content-type: text/plain; charset=utf-8');
  expect(headers).toContain(`content-length: ${payload.byteLength}`);
  if (typeof body === 'string') expect(payload.toString('utf8')).toBe(body);
  else expect(payload.toString('utf8')).toMatch(body);
  return headers;
}

const CLOSE = 'Connection: close\r\n';

describe("the server's own plain-text answers", () => {
  it('a 500 in debug mode counts the UTF-8 bytes of a non-ASCII error', async () => {
    const server = await start(
      () => {
        throw new Error('café ☕ broke');
      },
      { debug: true },
    );
    const result = await rawRequest(server.port, `GET / HTTP/1.1\r\nHost: h\r\n${CLOSE}\r\n`);
    expectTextAnswer(result.bytes, 500, /^Error: café ☕ broke\n/);
  });

  it('a 500 to HEAD has the headers and no body, over HTTP and over uwsgi', async () => {
    const fail = () => {
      throw new Error('kaboom');
    };
    const server = await startUnvalidated(fail);
    const http = await rawRequest(server.port, `HEAD / HTTP/1.1\r\nHost: h\r\n${CLOSE}\r\n`);
    const httpText = http.bytes.toString('latin1');
    expect(httpText).toMatch(/^HTTP\/1\.1 500 /);
    expect(httpText.toLowerCase()).toContain('content-length: 22\r\n');
    expect(httpText.endsWith('\r\n\r\n')).toBe(true);
    const { port } = await startUwsgi(fail, {}, true);
    const uwsgi = await request(port, { REQUEST_METHOD: 'HEAD' });
    expect(uwsgi.status).toBe(500);
    expect(uwsgi.head).toContain('content-length: 22');
    expect(uwsgi.body.byteLength).toBe(0);
  });

  it('a request the server refuses (414) is answered in text and the connection closed', async () => {
    const server = await start(() => [], { maxUrlLength: 32 });
    const path = `/${'x'.repeat(40)}`;
    const result = await rawRequest(server.port, `GET ${path} HTTP/1.1\r\nHost: h\r\n\r\n`);
    const headers = expectTextAnswer(result.bytes, 414, 'request target is longer than 32 bytes\n');
    expect(headers).toContain('connection: close');
    expect(result.ending).toBe('end');
  });

  it('a request the parser refuses gets a 400 in text with Connection: close', async () => {
    const server = await start(() => []);
    const result = await rawRequest(
      server.port,
      'GET / HTTP/1.1\r\nHost: h\r\nBad Header: x\r\n\r\n',
    );
    const headers = expectTextAnswer(result.bytes, 400, 'invalid character in a header\n');
    expect(headers).toContain('connection: close');
  });

  it('a refused uwsgi packet is answered in text', async () => {
    const { port } = await startUwsgi(() => [], {}, true);
    const result = await request(port, { PATH_INFO: '/\xff\xfe', REQUEST_URI: '/%FF%FE' });
    const headers = expectTextAnswer(result.bytes, 400, /\n$/);
    expect(headers).toContain('connection: close');
  });
});
