import { connect } from 'node:net';
import type { Application } from '@tsgi/spec';
import { statusLine } from '@tsgi/spec';
import { describe, expect, it } from 'vitest';
import { BOUNDS, bound } from '../../../tools/test-support/index.ts';
import { parseHead, rawRequest, start, text } from './helpers.js';

/** Counts the requests the app answers. */
function counting(): { app: Application; calls: () => number } {
  let calls = 0;
  return {
    // Reads the whole body first, so a body the parser refuses surfaces here too.
    app: async (environ, startResponse) => {
      await environ['tsgi.input'].read();
      calls++;
      startResponse(statusLine(200), []);
      return [text('ok')];
    },
    calls: () => calls,
  };
}

describe('hostile input never reaches the app', () => {
  const cases: Array<[string, string, number, RegExp]> = [
    ['malformed request line', 'GARBAGE\r\n\r\n', 400, /./],
    ['bad method characters', 'G@T / HTTP/1.1\r\nHost: h\r\n\r\n', 400, /method/],
    ['bad HTTP version', 'GET / HTTP/9.9\r\nHost: h\r\n\r\n', 400, /./],
    [
      'bad chunk size',
      'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n',
      400,
      /chunk size/,
    ],
    [
      'Content-Length with Transfer-Encoding',
      'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
      400,
      /Transfer-Encoding/,
    ],
    [
      'duplicate conflicting Content-Length',
      'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd',
      400,
      /Content-Length/,
    ],
    [
      'invalid Content-Length',
      'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1x\r\n\r\na',
      400,
      /Content-Length/,
    ],
    ['header without a colon', 'GET / HTTP/1.1\r\nHost: h\r\nNoColonHere\r\n\r\n', 400, /./],
    ['space before the colon', 'GET / HTTP/1.1\r\nHost: h\r\nX-A : b\r\n\r\n', 400, /./],
    ['bare LF line endings inside headers', 'GET / HTTP/1.1\r\nHost: h\nX: y\r\n\r\n', 400, /./],
    ['missing Host on HTTP/1.1', 'GET / HTTP/1.1\r\n\r\n', 400, /./],
  ];

  it.each(cases)('%s', async (_name, request, status, wording) => {
    const { app, calls } = counting();
    const server = await start(app);
    const result = await rawRequest(server.port, request);
    const parsed = parseHead(result.text);
    expect(parsed.status).toBe(status);
    expect(parsed.body).toMatch(wording);
    expect(result.ending).not.toBe('timeout');
    expect(calls()).toBe(0);
  });

  it('answers oversized headers with 431', async () => {
    const { app, calls } = counting();
    const server = await start(app, { maxHeaderSize: 4096 });
    const result = await rawRequest(
      server.port,
      `GET / HTTP/1.1\r\nHost: h\r\nX-Big: ${'a'.repeat(8000)}\r\n\r\n`,
    );
    const parsed = parseHead(result.text);
    expect(parsed.status).toBe(431);
    expect(parsed.headers).toContain('content-type: text/plain; charset=utf-8');
    expect(parsed.body).toBe('request header fields too large\n');
    expect(calls()).toBe(0);
  });

  // Node's parser refuses too many fields itself from Node 22 on; ours decides on every version.
  it('answers too many header fields with 431, in our words on every Node', async () => {
    const { app, calls } = counting();
    const server = await start(app, { maxHeadersCount: 20 });
    const many = Array.from({ length: 30 }, (_, i) => `X-H${i}: v\r\n`).join('');
    const result = await rawRequest(server.port, `GET / HTTP/1.1\r\nHost: h\r\n${many}\r\n`);
    const parsed = parseHead(result.text);
    expect(parsed.status).toBe(431);
    expect(parsed.headers).toContain('content-type: text/plain; charset=utf-8');
    expect(parsed.body).toBe('more than 20 request header fields\n');
    expect(calls()).toBe(0);
    // exactly at the limit is fine
    const ok = Array.from({ length: 19 }, (_, i) => `X-H${i}: v\r\n`).join('');
    const fine = await rawRequest(
      server.port,
      `GET / HTTP/1.1\r\nHost: h\r\n${ok}Connection: close\r\n\r\n`,
    );
    expect(parseHead(fine.text).status).toBe(431); // Host + 19 + Connection = 21 fields
    const fits = Array.from({ length: 18 }, (_, i) => `X-H${i}: v\r\n`).join('');
    const good = await rawRequest(
      server.port,
      `GET / HTTP/1.1\r\nHost: h\r\n${fits}Connection: close\r\n\r\n`,
    );
    expect(parseHead(good.text).status).toBe(200);
  });

  it('answers a request target over maxUrlLength with 414', async () => {
    const { app, calls } = counting();
    const server = await start(app, { maxUrlLength: 100 });
    const result = await rawRequest(
      server.port,
      `GET /${'a'.repeat(200)} HTTP/1.1\r\nHost: h\r\n\r\n`,
    );
    const parsed = parseHead(result.text);
    expect(parsed.status).toBe(414);
    expect(parsed.body).toMatch(/longer than 100/);
    expect(calls()).toBe(0);
  });

  it('answers a slow-header (slowloris) client with 408 and closes', async () => {
    const { app, calls } = counting();
    const server = await start(app, { headersTimeout: 300, requestTimeout: 1000 });
    const socket = connect({ host: '127.0.0.1', port: server.port });
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => {});
    socket.write('GET / HTTP/1.1\r\nHost: h\r\n');
    // Trickle a header byte every 50 ms, never finishing the head, for as long as the
    // bound below (the headers timeout is 300 ms): the server must close before it ends.
    const most = Math.ceil(bound(BOUNDS.short) / 50);
    let sent = 0;
    const trickle = setInterval(() => {
      if (sent++ < most && !socket.destroyed) socket.write('X');
    }, 50);
    const outcome = await Promise.race([
      closed.then(() => 'closed'),
      new Promise((r) => setTimeout(() => r('still open'), bound(BOUNDS.short))),
    ]);
    clearInterval(trickle);
    socket.destroy();
    expect(outcome).toBe('closed');
    const answer = Buffer.concat(chunks).toString('latin1');
    expect(answer === '' || parseHead(answer).status === 408).toBe(true);
    expect(sent).toBeLessThan(most);
    expect(calls()).toBe(0);
  });
});
