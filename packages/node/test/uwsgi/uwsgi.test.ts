import { connect } from 'node:net';
import type { Environ, ResponseBody } from '@tsgi/spec';
import { BodyTooLargeError, flushLineBuffers, statusLine } from '@tsgi/spec';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOUNDS, bound } from '../../../../tools/test-support/index.ts';
import { LINGER_MS } from '../../src/lifecycle/linger.js';
import { encodePacket, parseVars } from '../../src/uwsgi/index.js';
import { gate, memoryStream, openConnections, text, until, untilStalled } from '../helpers.js';
import { rawConnection } from '../raw-connection.js';
import { exchange, nginxVars, request, startUwsgi } from './helpers.js';

const enc = new TextEncoder();

/** An app that answers its environ (string and boolean values) as JSON. */
function environApp(seen: Environ[] = []) {
  return (environ: Environ, startResponse: (s: string, h: [string, string][]) => unknown) => {
    seen.push(environ);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(environ)) {
      if (typeof v === 'string' || typeof v === 'boolean') out[k] = v;
    }
    const body = enc.encode(JSON.stringify(out));
    startResponse(statusLine(200), [
      ['Content-Type', 'application/json'],
      ['Content-Length', String(body.byteLength)],
    ]);
    return [body];
  };
}

describe('the vars block', () => {
  it('round-trips through encodePacket and parseVars, first value of a repeated key wins', () => {
    const packet = encodePacket({ A: '1', PATH_INFO: '/é' });
    const block = Buffer.concat([packet.subarray(4), encodePacket({ A: '2' }).subarray(4)]);
    expect([...parseVars(block)]).toEqual([
      ['A', '1'],
      ['PATH_INFO', '/é'], // latin1 in, latin1 out: one char per byte
    ]);
  });

  it('rejects lengths that run past the block and empty keys', () => {
    expect(() => parseVars(Buffer.from([5, 0, 65]))).toThrow(/key runs past/);
    expect(() => parseVars(Buffer.from([1, 0, 65, 9, 0, 66]))).toThrow(/value of A runs past/);
    expect(() => parseVars(Buffer.from([1, 0, 65, 1]))).toThrow(/truncated value length/);
    expect(() => parseVars(Buffer.from([0, 0, 0, 0]))).toThrow(/empty key/);
  });
});

describe('environ from Nginx vars', () => {
  it('completes what uwsgi_params leaves out and keeps the rest', async () => {
    const { port } = await startUwsgi(environApp());
    const path = Buffer.from('/caf\u00e9 bar', 'utf8').toString('latin1'); // $document_uri: decoded bytes
    const response = await request(port, {
      REQUEST_URI: '/caf%C3%A9%20bar?x=%20y&z',
      PATH_INFO: path,
      QUERY_STRING: 'x=%20y&z',
    });
    expect(response.status).toBe(200);
    const environ = JSON.parse(response.body.toString()) as Record<string, unknown>;
    expect(environ).toMatchObject({
      REQUEST_METHOD: 'GET',
      SCRIPT_NAME: '',
      PATH_INFO: '/café bar',
      REQUEST_URI: '/caf%C3%A9%20bar?x=%20y&z',
      QUERY_STRING: 'x=%20y&z',
      SERVER_NAME: 'example.test', // empty from Nginx: taken from Host
      SERVER_PORT: '8080',
      SERVER_PROTOCOL: 'HTTP/1.1',
      REMOTE_ADDR: '127.0.0.1',
      REMOTE_PORT: '51234',
      HTTP_HOST: 'example.test',
      HTTP_USER_AGENT: 'curl/7.88',
      DOCUMENT_ROOT: '/etc/nginx/html',
      'tsgi.url_scheme': 'http',
      'tsgi.multithread': true,
      'tsgi.multiprocess': false,
      'tsgi.run_once': false,
    });
    expect(environ).not.toHaveProperty('CONTENT_TYPE');
    expect(environ).not.toHaveProperty('CONTENT_LENGTH');
  });

  it('names the listener when there is neither server_name nor Host, and sees https', async () => {
    const { port } = await startUwsgi(environApp());
    const response = await request(port, {
      HTTP_HOST: undefined,
      SERVER_PORT: undefined,
      REQUEST_SCHEME: 'https',
      HTTPS: 'on',
    });
    const environ = JSON.parse(response.body.toString()) as Record<string, unknown>;
    expect(environ.SERVER_NAME).toBe('127.0.0.1');
    expect(environ.SERVER_PORT).toBe(String(port));
    expect(environ['tsgi.url_scheme']).toBe('https');
  });

  it('never lets a var set a tsgi.* key or a non-CGI name', async () => {
    const { port } = await startUwsgi(environApp());
    const response = await request(port, { 'tsgi.url_scheme': 'gopher', 'x-lower': 'no' });
    const environ = JSON.parse(response.body.toString()) as Record<string, unknown>;
    expect(environ['tsgi.url_scheme']).toBe('http');
    expect(environ).not.toHaveProperty('x-lower');
  });

  it('answers 400 to a PATH_INFO that is not UTF-8 and to a bad CONTENT_LENGTH, app not called', async () => {
    const seen: Environ[] = [];
    const { port } = await startUwsgi(environApp(seen));
    const badPath = await request(port, { PATH_INFO: '/\xff\xfe' });
    expect(badPath.status).toBe(400);
    expect(badPath.body.toString()).toContain('PATH_INFO is not valid UTF-8');
    const badLength = await request(port, { CONTENT_LENGTH: '12abc' });
    expect(badLength.status).toBe(400);
    expect(seen).toHaveLength(0);
  });

  it('writes a refused packet to the access log', async () => {
    const log = memoryStream();
    const { port } = await startUwsgi(environApp(), { accessLog: 'json', accessLogStream: log });
    const refused = await request(port, { PATH_INFO: '/\xff\xfe', REQUEST_URI: '/%FF%FE' });
    expect(refused.status).toBe(400);
    await flushLineBuffers(); // the access log writes in batches
    const entry = JSON.parse(log.text().trim());
    expect(entry).toMatchObject({
      method: 'GET',
      uri: '/%FF%FE',
      protocol: 'HTTP/1.1',
      status: 400,
      user_agent: 'curl/7.88',
    });
    expect(entry.bytes).toBe(Buffer.byteLength('PATH_INFO is not valid UTF-8\n'));
  });

  it('strips --script-name from PATH_INFO when Nginx sends no SCRIPT_NAME', async () => {
    const { port } = await startUwsgi(environApp(), { scriptName: '/api' });
    const response = await request(port, { REQUEST_URI: '/api/items', PATH_INFO: '/api/items' });
    const environ = JSON.parse(response.body.toString()) as Record<string, unknown>;
    expect(environ).toMatchObject({ SCRIPT_NAME: '/api', PATH_INFO: '/items' });
  });
});

describe('responses', () => {
  it('writes an HTTP/1.1 response and closes; repeated headers stay separate', async () => {
    const { port } = await startUwsgi((_environ, startResponse) => {
      startResponse('201 Created', [
        ['Set-Cookie', 'a=1'],
        ['Set-Cookie', 'b=2'],
        ['Content-Length', '2'],
      ]);
      return [text('ok')];
    });
    const response = await request(port);
    expect(response.bytes.toString('latin1')).toMatch(/^HTTP\/1\.1 201 Created\r\n/);
    expect(response.head).toEqual(
      expect.arrayContaining(['set-cookie: a=1', 'set-cookie: b=2', 'content-length: 2']),
    );
    expect(response.body.toString()).toBe('ok');
    expect(response.ending).toBe('end');
  });

  it('streams a body without Content-Length close-delimited, never chunked', async () => {
    const { port } = await startUwsgi((_environ, startResponse) => {
      startResponse(statusLine(200), [['Content-Type', 'text/plain']]);
      return (async function* () {
        for (let i = 0; i < 3; i++) {
          yield text(`part ${i}\n`);
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
    });
    const response = await request(port);
    expect(response.head.some((h) => h.startsWith('transfer-encoding'))).toBe(false);
    expect(response.body.toString()).toBe('part 0\npart 1\npart 2\n');
    expect(response.ending).toBe('end');
  });

  it('never lets a CR/LF in a header value reach the wire', async () => {
    const { port } = await startUwsgi(
      (_environ, startResponse) => {
        startResponse(statusLine(200), [['X-Evil', 'a\r\nSet-Cookie: pwned=1']]);
        return [text('no')];
      },
      {},
      true,
    );
    const response = await request(port);
    expect(response.status).toBe(500);
    expect(response.bytes.toString('latin1')).not.toContain('pwned');
  });

  it('answers 500 when the app throws, with the error on tsgi.errors', async () => {
    const { port, errors } = await startUwsgi(() => {
      throw new Error('kaboom');
    });
    const response = await request(port);
    expect(response.status).toBe(500);
    expect(response.body.toString()).toBe('Internal Server Error\n');
    expect(errors.text()).toContain('kaboom');
  });

  it('cuts the connection when the body fails after the headers went out', async () => {
    const { port } = await startUwsgi((_environ, startResponse) => {
      startResponse(statusLine(200), [['Content-Length', '10']]);
      return (async function* () {
        yield text('12345');
        throw new Error('half way');
      })();
    });
    const response = await request(port);
    expect(response.status).toBe(200);
    expect(response.body.byteLength).toBeLessThan(10);
  });

  it('sends no body for HEAD but keeps the headers', async () => {
    const { port } = await startUwsgi((environ, startResponse) => {
      startResponse(statusLine(200), [['Content-Length', '5']]);
      return environ.REQUEST_METHOD === 'HEAD' ? [] : [text('hello')];
    });
    const response = await request(port, { REQUEST_METHOD: 'HEAD' });
    expect(response.head, response.bytes.toString()).toContain('content-length: 5');
    expect(response.body.byteLength).toBe(0);
  });

  it('respects backpressure: a client that does not read stops the body generator', async () => {
    let produced = 0;
    const total = 256 * 1024 * 1024;
    const { port } = await startUwsgi(
      (_environ, startResponse) => {
        startResponse(statusLine(200), [['Content-Length', String(total)]]);
        const piece = new Uint8Array(65_536);
        return (function* () {
          while (produced < total) {
            produced += piece.byteLength;
            yield piece;
          }
        })();
      },
      {},
      true,
    );
    const socket = connect({ host: '127.0.0.1', port });
    socket.pause();
    socket.on('error', () => {});
    socket.write(encodePacket(nginxVars()));
    await untilStalled(() => produced);
    // Loopback buffers hold a few MiB, far less than the 256 MiB a listener
    // without backpressure would pull from the generator.
    expect(produced).toBeLessThan(32 * 1024 * 1024);
    socket.destroy();
  });

  it('calls close() exactly once on a normal end and when the client goes away', async () => {
    const closes: string[] = [];
    const started = gate();
    const { port } = await startUwsgi((environ, startResponse) => {
      startResponse(statusLine(200), []);
      const name = environ.PATH_INFO;
      const body = (async function* () {
        yield text('x');
        if (name === '/forever') {
          started.open();
          await new Promise((r) => setTimeout(r, bound(BOUNDS.process)));
        }
      })() as AsyncGenerator<Uint8Array> & ResponseBody;
      (body as { close?: () => void }).close = () => closes.push(name);
      return body;
    });
    await request(port, { PATH_INFO: '/done', REQUEST_URI: '/done' });
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => {});
    socket.write(encodePacket(nginxVars({ PATH_INFO: '/forever', REQUEST_URI: '/forever' })));
    await started.promise;
    socket.destroy();
    await until(() => closes.length === 2, 'both close() calls');
    expect(closes.sort()).toEqual(['/done', '/forever']);
  });
});

describe('connection lifecycle', () => {
  it('frees the connection once the peer closes after the response, as Nginx does', async () => {
    const { server, port } = await startUwsgi((_environ, startResponse) => {
      startResponse(statusLine(200), [['Content-Length', '2']]);
      return [text('ok')];
    });
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => {});
    const got: Buffer[] = [];
    socket.on('data', (chunk) => got.push(chunk));
    // Nginx keeps its side open until it has read the response, then closes.
    const ended = new Promise((resolve) => socket.once('end', resolve));
    socket.write(encodePacket(nginxVars()));
    await ended;
    expect(Buffer.concat(got).toString()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nok$/);
    socket.end();
    await until(() => socket.destroyed, 'client close');
    await until(async () => (await openConnections(server)) === 0, 'the server to free it');
  });
  it('cuts a peer that stays open after a response to a body, read or not, after LINGER_MS', async () => {
    const { server, port } = await startUwsgi(async (environ, startResponse) => {
      // The app reads the body when asked to, and answers without reading it otherwise.
      if (environ.QUERY_STRING === 'read') for await (const _ of environ['tsgi.input']);
      startResponse(statusLine(200), [['Content-Length', '2']]);
      return [text('ok')];
    });
    const peer = (query: string, body: Buffer, length: number) => {
      const vars = nginxVars({ QUERY_STRING: query, CONTENT_LENGTH: String(length) });
      const connection = rawConnection({ host: '127.0.0.1', port, allowHalfOpen: true });
      connection.socket.write(Buffer.concat([encodePacket(vars), body]));
      return connection;
    };
    // A whole body the app read; half a body the app never asked for. Neither peer closes.
    const peers = [peer('read', Buffer.alloc(10, 1), 10), peer('skip', Buffer.alloc(10, 1), 20)];
    for (const connection of peers) {
      await connection.until((got) => got.endsWith('\r\n\r\nok'), 'the response');
      connection.socket.on('error', () => {});
    }
    expect(await openConnections(server)).toBe(2);
    await until(
      () => peers.every((connection) => connection.socket.readableEnded),
      "the listener's FIN",
    );
    // Cut LINGER_MS after the response, though neither peer ever closes.
    await until(
      async () => (await openConnections(server)) === 0,
      'the listener to cut both peers',
      LINGER_MS + BOUNDS.short,
    );
    for (const connection of peers) connection.socket.destroy();
  });
});

describe('request bodies', () => {
  it('streams the body lazily and never past CONTENT_LENGTH', async () => {
    const { port } = await startUwsgi(async (environ, startResponse) => {
      const body = await environ['tsgi.input'].read();
      startResponse(statusLine(200), [['Content-Length', String(body.byteLength)]]);
      return [body];
    });
    const payload = Buffer.alloc(300_000, 7);
    // the body arrives in pieces and is followed by bytes that are not part of it
    const packet = encodePacket(nginxVars({ CONTENT_LENGTH: String(payload.byteLength) }));
    const response = await exchange(port, [
      packet,
      payload.subarray(0, 1000),
      payload.subarray(1000),
      Buffer.from('EXTRA'),
    ]);
    expect(response.status).toBe(200);
    expect(response.body.equals(payload)).toBe(true);
  });

  it('answers 413 past the body limit and the read rejects with BodyTooLargeError', async () => {
    const failures: unknown[] = [];
    const { port } = await startUwsgi(
      async (environ, startResponse) => {
        try {
          await environ['tsgi.input'].read();
        } catch (error) {
          failures.push(error);
          throw error;
        }
        startResponse(statusLine(200), [['Content-Length', '0']]);
        return [];
      },
      { bodyLimit: 1000 },
    );
    const response = await request(port, {}, Buffer.alloc(5000, 1));
    expect(response.status).toBe(413);
    expect(failures[0]).toBeInstanceOf(BodyTooLargeError);
  });

  it('delivers the response when the app never reads a large body', async () => {
    const { port } = await startUwsgi((_environ, startResponse) => {
      startResponse(statusLine(200), [['Content-Length', '7']]);
      return [text('ignored')];
    });
    const response = await request(port, {}, Buffer.alloc(4 * 1024 * 1024, 3));
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('ignored');
  });

  it('fails the read with a 400 when the connection ends before the body does', async () => {
    const failures: unknown[] = [];
    const reading = gate();
    const done = gate();
    const { port } = await startUwsgi(async (environ, startResponse) => {
      try {
        reading.open();
        await environ['tsgi.input'].read();
      } catch (error) {
        failures.push(error);
        done.open();
        throw error;
      }
      startResponse(statusLine(200), []);
      return [];
    });
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => {});
    socket.write(
      Buffer.concat([encodePacket(nginxVars({ CONTENT_LENGTH: '100' })), Buffer.alloc(10)]),
    );
    await reading.promise;
    socket.destroy();
    await done.promise;
    expect((failures[0] as { status?: number }).status).toBe(400);
  });
});

describe('malformed packets are refused or closed, the server keeps serving', () => {
  it('truncated header and overrunning size close; bad var lengths get a 400', async () => {
    const { port } = await startUwsgi(environApp());
    // Half a header: nothing is answered, and no event says so; a short look.
    const truncated = await exchange(port, Buffer.from([0, 10]), 300);
    expect(truncated.bytes.byteLength).toBe(0);
    // says 200 bytes of vars, sends 3, then half-closes
    const overrun = await new Promise<number>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      const got: Buffer[] = [];
      socket.on('data', (c) => got.push(c));
      socket.on('close', () => resolve(Buffer.concat(got).byteLength));
      socket.on('error', () => {});
      socket.end(Buffer.from([0, 200, 0, 0, 1, 0, 65]));
    });
    expect(overrun).toBe(0);
    const badVars = await exchange(port, Buffer.from([0, 4, 0, 0, 9, 0, 65, 66]));
    // A complete packet whose vars do not parse is answered (see packet-checks.test.ts).
    expect(badVars.status).toBe(400);
    expect(badVars.ending).toBe('end');
    expect((await request(port)).status).toBe(200);
  });

  it('random bytes never crash the listener (fast-check, bounded)', async () => {
    const { port } = await startUwsgi(environApp());
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ minLength: 0, maxLength: 300 }),
          // a valid header with a garbage vars block of the size it announces
          fc
            .uint8Array({ minLength: 1, maxLength: 300 })
            .map((block) =>
              Buffer.concat([
                Buffer.from([0, block.byteLength & 0xff, block.byteLength >> 8, 0]),
                block,
              ]),
            ),
        ),
        async (bytes) => {
          const result = await new Promise<Buffer>((resolve) => {
            const socket = connect({ host: '127.0.0.1', port });
            const got: Buffer[] = [];
            socket.on('data', (c) => got.push(c));
            socket.on('error', () => {});
            // The listener closes after the client's end; this only bounds a hang.
            const guard = setTimeout(() => socket.destroy(), bound(BOUNDS.short));
            socket.on('close', () => {
              clearTimeout(guard);
              resolve(Buffer.concat(got));
            });
            socket.end(Buffer.from(bytes));
          });
          // Either nothing, or a complete HTTP response (a garbage block can still parse).
          if (result.byteLength > 0)
            expect(result.toString('latin1')).toMatch(/^HTTP\/1\.1 \d{3} /);
        },
      ),
      { numRuns: 150 },
    );
    expect((await request(port)).status).toBe(200);
  });
});
