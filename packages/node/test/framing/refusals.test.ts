import type { Application } from '@tsgi/spec';
import { flushLineBuffers, RequestBodyError, statusLine } from '@tsgi/spec';
import { describe, expect, it } from 'vitest';
import { memoryStream, parseHead, rawRequest, start, text } from '../helpers.js';

/** Each refusal: the request, its status, the wording of the body, its access-log request line. */
const refusals: Array<[string, number, RegExp, string]> = [
  ['GET /foo HTTP/2.0\r\nHost: h\r\n\r\n', 505, /HTTP\/2\.0 is not supported/, 'GET /foo HTTP/2.0'],
  ['GET * HTTP/1.1\r\nHost: h\r\n\r\n', 400, /only allowed with OPTIONS/, 'GET * HTTP/1.1'],
  ['GET /a#b HTTP/1.1\r\nHost: h\r\n\r\n', 400, /fragment/, 'GET /a#b HTTP/1.1'],
  ['GET / HTTP/1.1\r\nHost:\r\n\r\n', 400, /Host header is empty/, 'GET / HTTP/1.1'],
  [
    'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
    400,
    /not allowed in an HTTP\/1\.0 request/,
    'POST / HTTP/1.0',
  ],
  [
    'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n',
    501,
    /transfer coding "gzip" is not implemented/,
    'POST / HTTP/1.1',
  ],
  [
    'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n',
    400,
    /./,
    'POST / HTTP/1.1',
  ],
  ['CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n', 501, /not a proxy/, 'CONNECT h:443 HTTP/1.1'],
  [
    'GET /f HTTP/1.1\r\nHost: h\r\nX-A: one\r\n two\r\n\r\n',
    400,
    /obsolete line folding/,
    'GET /f HTTP/1.1',
  ],
];

describe('framing refusals', () => {
  it.each(refusals)('%j → %i, closed and logged', async (request, status, wording, line) => {
    let calls = 0;
    const log = memoryStream();
    const server = await start(
      (_environ, startResponse) => {
        calls++;
        startResponse(statusLine(200), []);
        return [];
      },
      { accessLog: 'common', accessLogStream: log },
    );
    // A second request on the same connection must not be answered.
    const result = await rawRequest(server.port, `${request}GET / HTTP/1.1\r\nHost: h\r\n\r\n`);
    const answer = parseHead(result.text);
    expect(answer.status).toBe(status);
    expect(answer.body).toMatch(wording);
    expect(answer.headers).toContain('connection: close');
    expect(result.ending).not.toBe('timeout');
    expect(result.text.match(/HTTP\/1\.1 \d{3}/g)).toHaveLength(1);
    expect(calls).toBe(0);
    await flushLineBuffers(); // the access log writes in batches
    expect(log.text()).toContain(`"${line}" ${status} `);
  });
});

describe('trailer fields', () => {
  /** Answers with what the app read, or the name of the error the read rejected with. */
  const reader: Application = async (environ, startResponse) => {
    const chunks: string[] = [];
    let outcome: string;
    try {
      for await (const chunk of environ['tsgi.input']) chunks.push(Buffer.from(chunk).toString());
      outcome = 'ended';
    } catch (error) {
      outcome = error instanceof RequestBodyError ? `${error.status} ${error.message}` : 'other';
    }
    const body = text(
      `${chunks.join('')}|${outcome}|${Object.keys(environ).filter((k) => k.includes('EVIL'))}`,
    );
    startResponse(statusLine(200), [['Content-Length', String(body.byteLength)]]);
    return [body];
  };
  const send = (trailer: string) =>
    `POST / HTTP/1.1\r\nHost: h\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n${trailer}\r\n`;

  it('a forbidden one fails the read after the data, with 400', async () => {
    const server = await start(reader);
    const result = await rawRequest(server.port, send('Host: evil\r\n'));
    expect(parseHead(result.text).body).toBe(
      'abc|400 the field host is not allowed in a trailer section|',
    );
  });

  it('the others are ignored: the read ends, the environ does not show them', async () => {
    const server = await start(reader);
    const result = await rawRequest(server.port, send('X-Evil: 1\r\n'));
    expect(parseHead(result.text).body).toBe('abc|ended|');
  });
});

describe('a request after one that ends the connection', () => {
  it.each([
    ['HTTP/1.0', 'GET /a HTTP/1.0\r\n\r\n'],
    ['Connection: close', 'GET /a HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n'],
  ])('after %s: the first is answered, the second ignored', async (_name, first) => {
    const paths: string[] = [];
    const server = await start(async (environ, startResponse) => {
      paths.push(environ.PATH_INFO);
      // Answer late, so the second request is parsed before the first response is out.
      await new Promise((resolve) => setTimeout(resolve, 50));
      startResponse(statusLine(200), [['Content-Length', '5']]);
      return [text(`hi ${environ.PATH_INFO}`)];
    });
    const result = await rawRequest(server.port, `${first}GET /b HTTP/1.1\r\nHost: h\r\n\r\n`);
    expect(parseHead(result.text).status).toBe(200);
    expect(parseHead(result.text).body).toBe('hi /a');
    expect(result.ending).not.toBe('timeout');
    expect(paths).toEqual(['/a']);
  });
});
