// Per-stream time limits and Expect over HTTP/2 (h2c here; the TLS path runs the same
// stream code): requestTimeout answers 408 to a stream whose body stops
// coming, and idleTimeout resets a stream whose client stops reading a large
// ended response. Either way the session and its other streams go on.
import http2 from 'node:http2';
import type { Application } from '@tsgi/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guarded } from '../../../../tools/test-support/index.ts';
import { serve, type TsgiServer } from '../../src/index.js';

const encoder = new TextEncoder();
const BIG = 2_000_000;

/** `/read` reads the whole body first, `/early` answers its head then reads, `/big` is one large chunk, else `ok`. */
const app: Application = async (environ, startResponse) => {
  const path = environ.PATH_INFO;
  if (path === '/read') {
    const body = await environ['tsgi.input'].read();
    startResponse('200 OK', [['Content-Type', 'text/plain']]);
    return [encoder.encode(String(body.byteLength))];
  }
  if (path === '/early') {
    const write = startResponse('200 OK', [['Content-Type', 'text/plain']]);
    write(encoder.encode('head out\n'));
    await environ['tsgi.input'].read();
    return [encoder.encode('never')];
  }
  if (path === '/big') {
    startResponse('200 OK', [['Content-Type', 'application/octet-stream']]);
    return [new Uint8Array(BIG)];
  }
  startResponse('200 OK', [['Content-Type', 'text/plain']]);
  return [encoder.encode('ok')];
};

let server: TsgiServer;
let session: http2.ClientHttp2Session;
beforeAll(async () => {
  server = await serve(app, {
    port: 0,
    httpProtocols: ['h2c'],
    requestTimeout: 300,
    headersTimeout: 300,
    idleTimeout: 300,
    errors: { write: () => true },
  });
  session = http2.connect(server.address.url);
  session.on('error', () => {});
});
afterAll(async () => {
  session?.close();
  await server?.close();
});

/** What one stream came to: its status (if any), its body, its RST_STREAM code. */
interface Ending {
  status: number | undefined;
  body: string;
  rstCode: number;
}

/** Opens a stream and resolves once it closes. `body`: sent without ending the request. `read`: false reads nothing. */
function open(path: string, options: { body?: string; read?: boolean } = {}): Promise<Ending> {
  return new Promise((resolve) => {
    const stream = session.request(
      { ':method': options.body === undefined ? 'GET' : 'POST', ':path': path },
      { endStream: options.body === undefined },
    );
    let status: number | undefined;
    let body = '';
    stream.on('response', (headers) => {
      status = Number(headers[':status']);
    });
    stream.on('error', () => {});
    if (options.read === false) stream.pause();
    else stream.on('data', (chunk: Buffer) => (body += chunk.toString('latin1')));
    if (options.body !== undefined) stream.write(options.body);
    stream.on('close', () => resolve({ status, body, rstCode: stream.rstCode ?? 0 }));
  });
}

describe('HTTP/2 per-stream limits', () => {
  it('a body that stops coming is answered 408 when nothing was sent, and the session goes on', async () => {
    const ending = await open('/read', { body: 'part of a body' });
    expect(ending.status).toBe(408);
    expect(ending.body).toMatch(/^Request Timeout: the request did not arrive whole within 300 ms/);
    expect(await open('/')).toMatchObject({ status: 200, body: 'ok', rstCode: 0 });
  });

  it('a body that stops coming after the head went out resets that stream only', async () => {
    const ending = await open('/early', { body: 'part' });
    expect(ending.status).toBe(200);
    expect(ending.body).toBe('head out\n');
    expect(ending.rstCode).not.toBe(0);
    expect(await open('/')).toMatchObject({ status: 200, body: 'ok', rstCode: 0 });
  });

  it('a client that reads nothing of a large ended response has its stream reset', async () => {
    await guarded(
      async () => {
        const ending = await open('/big', { read: false });
        expect(ending.status).toBe(200);
        expect(ending.rstCode).toBe(http2.constants.NGHTTP2_INTERNAL_ERROR);
        expect(await open('/')).toMatchObject({ status: 200, body: 'ok', rstCode: 0 });
      },
      () => undefined,
    );
  });
});

describe('Expect over HTTP/2', () => {
  it('100-continue gets its interim 100 before the body is sent', async () => {
    const stream = session.request(
      { ':method': 'POST', ':path': '/read', expect: '100-continue' },
      { endStream: false },
    );
    stream.on('error', () => {});
    await new Promise<void>((resolve) => stream.once('continue', resolve));
    let body = '';
    stream.on('data', (chunk: Buffer) => (body += chunk.toString()));
    stream.end('twelve bytes');
    await new Promise<void>((resolve) => stream.on('close', resolve));
    expect(body).toBe('12');
  });

  it('any other expectation is answered 417, naming it', async () => {
    const stream = session.request({ ':path': '/', expect: 'something-else' });
    stream.on('error', () => {});
    let status = 0;
    let body = '';
    stream.on('response', (headers) => (status = Number(headers[':status'])));
    stream.on('data', (chunk: Buffer) => (body += chunk.toString()));
    await new Promise<void>((resolve) => stream.on('close', resolve));
    expect([status, body]).toEqual([
      417,
      'Expectation Failed: only 100-continue is supported, got "something-else"\n',
    ]);
  });
});

describe('an idle HTTP/2 connection', () => {
  it('is closed keepAliveTimeout after its last stream ended, streams counted across two', async () => {
    const idle = await serve(app, { port: 0, httpProtocols: ['h2c'], keepAliveTimeout: 200 });
    const client = http2.connect(idle.address.url);
    client.on('error', () => {});
    await guarded(
      async () => {
        const closed = new Promise<void>((resolve) => client.once('close', resolve));
        // Two streams open at once: the count must reach 0 only after both ended.
        const held = client.request({ ':method': 'POST', ':path': '/read' }, { endStream: false });
        held.on('error', () => {});
        held.write('some');
        let answer = '';
        held.on('data', (chunk: Buffer) => (answer += chunk.toString()));
        const first = new Promise<void>((resolve) => held.on('close', resolve));
        const second = client.request({ ':path': '/' });
        second.on('error', () => {});
        second.resume();
        await new Promise<void>((resolve) => second.on('close', resolve));
        expect(client.closed).toBe(false);
        held.end('more');
        await first;
        expect(answer).toBe('8');
        await closed;
      },
      () => client.destroy(),
      () => idle.close(),
    );
  });
});
