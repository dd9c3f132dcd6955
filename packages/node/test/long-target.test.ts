import type { Application } from '@tsgi/spec';
import { statusLine } from '@tsgi/spec';
import { describe, expect, it } from 'vitest';
import { parseHead, rawRequest, start, text } from './helpers.js';

/** Counts the requests the app answers. */
function counting(): { app: Application; calls: () => number } {
  let calls = 0;
  return {
    app: (_environ, startResponse) => {
      calls++;
      startResponse(statusLine(200), []);
      return [text('ok')];
    },
    calls: () => calls,
  };
}

// llhttp's maxHeaderSize (16 KiB) counts the request line: a target past it is what is too
// long (414, as for a target over maxUrlLength), while a huge header field stays a 431.
describe('a request target too long for the request head', () => {
  const long = `/${'a'.repeat(20_000)}`;

  it('is a 414 naming the limit, in one write', async () => {
    const { app, calls } = counting();
    const server = await start(app);
    const result = await rawRequest(server.port, `GET ${long} HTTP/1.1\r\nHost: h\r\n\r\n`);
    const parsed = parseHead(result.text);
    expect(parsed.status).toBe(414);
    expect(parsed.headers).toContain('connection: close');
    expect(parsed.body).toBe('request target is longer than 8192 bytes\n');
    expect(calls()).toBe(0);
  });

  it("names the server's own maxUrlLength", async () => {
    const { app } = counting();
    const server = await start(app, { maxUrlLength: 4096 });
    const result = await rawRequest(server.port, `GET ${long} HTTP/1.1\r\nHost: h\r\n\r\n`);
    expect(parseHead(result.text).body).toBe('request target is longer than 4096 bytes\n');
  });

  it('is a 414 when the target arrives in several reads', async () => {
    const { app } = counting();
    const server = await start(app);
    const pieces = ['GET /', 'b'.repeat(7000), 'b'.repeat(7000), 'b'.repeat(7000), ' HTTP/1.1\r\n'];
    const result = await rawRequest(server.port, pieces, undefined, 20);
    expect(parseHead(result.text).status).toBe(414);
  });

  it('is a 414 when the target is over maxUrlLength and the fields overflow the head', async () => {
    const { app } = counting();
    const server = await start(app);
    const result = await rawRequest(
      server.port,
      `GET /${'c'.repeat(9000)} HTTP/1.1\r\nHost: h\r\nX-Big: ${'d'.repeat(9000)}\r\n\r\n`,
    );
    expect(parseHead(result.text).status).toBe(414);
  });

  it('leaves a huge header field a 431, in one write or several', async () => {
    const { app, calls } = counting();
    const server = await start(app);
    const one = await rawRequest(
      server.port,
      `GET / HTTP/1.1\r\nHost: h\r\nX-Big: ${'e'.repeat(20_000)}\r\n\r\n`,
    );
    const parsed = parseHead(one.text);
    expect(parsed.status).toBe(431);
    expect(parsed.body).toBe('request header fields too large\n');
    const words = 'f '.repeat(3500);
    const several = await rawRequest(
      server.port,
      ['GET / HTTP/1.1\r\nHost: h\r\nX-Big: ', words, words, words, '\r\n\r\n'],
      undefined,
      20,
    );
    expect(parseHead(several.text).status).toBe(431);
    const target = await rawRequest(
      server.port,
      `GET /${'g'.repeat(4000)} HTTP/1.1\r\nHost: h\r\nX-Big: ${'h'.repeat(20_000)}\r\n\r\n`,
    );
    expect(parseHead(target.text).status).toBe(431);
    expect(calls()).toBe(0);
  });
});
