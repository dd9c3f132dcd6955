import { request } from 'node:http';
import { connect } from 'node:net';
import type { Application } from '@tsgi/spec';
import { BodyTooLargeError, jsonResponse, statusLine } from '@tsgi/spec';
import { describe, expect, it } from 'vitest';
import { gate, parseHead, rawRequest, start, text, until } from './helpers.js';

/** Reads the body in 3-byte pieces and answers with the sizes and the text. */
const pieces: Application = async (environ, startResponse) => {
  const input = environ['tsgi.input'];
  const sizes: number[] = [];
  const parts: string[] = [];
  for (;;) {
    const chunk = await input.read(3);
    if (chunk.byteLength === 0) break;
    sizes.push(chunk.byteLength);
    parts.push(Buffer.from(chunk).toString());
  }
  return jsonResponse(startResponse, 200, { sizes, body: parts.join('') });
};

describe('tsgi.input', () => {
  it('streams a Content-Length body in the sizes asked for', async () => {
    const server = await start(pieces);
    const result = await rawRequest(
      server.port,
      'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 8\r\nConnection: close\r\n\r\nabcdefgh',
    );
    expect(JSON.parse(parseHead(result.text).body)).toEqual({ sizes: [3, 3, 2], body: 'abcdefgh' });
  });

  it('streams a chunked body', async () => {
    const server = await start(pieces);
    const result = await rawRequest(
      server.port,
      'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n4\r\nabcd\r\n3\r\nefg\r\n0\r\n\r\n',
    );
    expect(JSON.parse(parseHead(result.text).body).body).toBe('abcdefg');
  });

  it('reads lazily: bytes the client has not sent yet are awaited, not required up front', async () => {
    const readFirst = gate();
    const server = await start(async (environ, startResponse) => {
      const first = await environ['tsgi.input'].read(5);
      readFirst.open();
      const rest = await environ['tsgi.input'].read();
      return jsonResponse(startResponse, 200, {
        first: Buffer.from(first).toString(),
        rest: Buffer.from(rest).toString(),
      });
    });
    const answer = new Promise<string>((resolve, reject) => {
      const req = request(
        { port: server.port, host: '127.0.0.1', method: 'POST', headers: { 'content-length': 10 } },
        (res) => {
          let body = '';
          res.on('data', (c) => {
            body += c;
          });
          res.on('end', () => resolve(body));
        },
      );
      req.on('error', reject);
      req.write('hello');
      readFirst.promise.then(() => req.end('world'));
    });
    expect(JSON.parse(await answer)).toEqual({ first: 'hello', rest: 'world' });
  });

  it('never yields past CONTENT_LENGTH; iteration gives the same bytes', async () => {
    const server = await start(async (environ, startResponse) => {
      let total = '';
      for await (const chunk of environ['tsgi.input']) total += Buffer.from(chunk).toString();
      return jsonResponse(startResponse, 200, {
        total,
        after: (await environ['tsgi.input'].read()).byteLength,
      });
    });
    // A pipelined second request follows the body directly on the same connection.
    const result = await rawRequest(
      server.port,
      'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n',
    );
    const bodies = result.text.split('\r\n\r\n').filter((part) => part.startsWith('{'));
    expect(bodies.map((b) => JSON.parse(b.slice(0, b.indexOf('}') + 1)))).toEqual([
      { total: 'hello', after: 0 },
      { total: '', after: 0 },
    ]);
  });

  it('rejects a read with BodyTooLargeError past the limit, and the client gets 413 (Content-Length)', async () => {
    const errors: unknown[] = [];
    const server = await start(
      async (environ, startResponse) => {
        try {
          await environ['tsgi.input'].read();
        } catch (error) {
          errors.push(error);
          throw error;
        }
        startResponse(statusLine(200), []);
        return [];
      },
      { bodyLimit: 10 },
    );
    const result = await rawRequest(
      server.port,
      'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n01234567890',
    );
    const { status, headers, body } = parseHead(result.text);
    expect(status).toBe(413);
    expect(body).toMatch(/larger than the limit of 10 bytes/);
    expect(headers).toContain('connection: close');
    expect(errors[0]).toBeInstanceOf(BodyTooLargeError);
    expect(result.ending).toBe('end');
  });

  it('rejects a chunked body that grows past the limit', async () => {
    let seen: unknown;
    const server = await start(
      async (environ) => {
        try {
          for await (const _ of environ['tsgi.input']) {
            // keep reading
          }
        } catch (error) {
          seen = error;
          throw error;
        }
        throw new Error('the read should have rejected');
      },
      { bodyLimit: 6 },
    );
    const result = await rawRequest(
      server.port,
      'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n4\r\nefgh\r\n0\r\n\r\n',
    );
    expect(parseHead(result.text).status).toBe(413);
    expect(seen).toBeInstanceOf(BodyTooLargeError);
  });

  it('sends 100 Continue only when the app reads the body', async () => {
    const server = await start(async (environ, startResponse) => {
      if (environ.PATH_INFO === '/read') {
        const body = await environ['tsgi.input'].read();
        return jsonResponse(startResponse, 200, { got: Buffer.from(body).toString() });
      }
      return jsonResponse(startResponse, 403, { error: 'no' });
    });
    // The reading app: the client waits for 100 before sending the body.
    const reading = await new Promise<{ continued: boolean; body: string }>((resolve, reject) => {
      let continued = false;
      const req = request(
        {
          port: server.port,
          host: '127.0.0.1',
          method: 'POST',
          path: '/read',
          headers: { expect: '100-continue', 'content-length': 2 },
        },
        (res) => {
          let body = '';
          res.on('data', (c) => {
            body += c;
          });
          res.on('end', () => resolve({ continued, body }));
        },
      );
      req.on('continue', () => {
        continued = true;
        req.end('ok');
      });
      req.on('error', reject);
    });
    expect(reading).toEqual({ continued: true, body: '{"got":"ok"}' });

    // The refusing app: no 100, straight to the final answer.
    const refused = await rawRequest(
      server.port,
      'POST /no HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n',
    );
    expect(refused.text).not.toMatch(/100 Continue/);
    expect(parseHead(refused.text).status).toBe(403);
  });

  it('answers 413 without 100 Continue when the declared body is over the limit', async () => {
    const server = await start(
      async (environ, startResponse) => {
        await environ['tsgi.input'].read();
        return jsonResponse(startResponse, 200, {});
      },
      { bodyLimit: 4 },
    );
    const result = await rawRequest(
      server.port,
      'POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 100\r\n\r\n',
    );
    expect(result.text).not.toMatch(/100 Continue/);
    expect(parseHead(result.text).status).toBe(413);
  });

  it('rejects the read with a RequestBodyError when the client goes away mid-body', async () => {
    let seen: unknown;
    const started = gate();
    const server = await start(async (environ, startResponse) => {
      started.open();
      try {
        await environ['tsgi.input'].read();
      } catch (error) {
        seen = error;
      }
      return jsonResponse(startResponse, 200, {});
    });
    const socket = connect({ host: '127.0.0.1', port: server.port });
    socket.on('error', () => {});
    socket.write('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\nabc');
    await started.promise;
    socket.destroy();
    await until(() => seen !== undefined, 'the read to reject');
    expect((seen as Error).name).toBe('RequestBodyError');
    expect((seen as { status: number }).status).toBe(400);
  });
});

export { text };
