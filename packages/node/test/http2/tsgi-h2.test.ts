// tsgi's own HTTP/2 over TLS against real peers on loopback: curl (h2 and
// http/1.1 on the same port), node:http2's client (a reset mid-body), and h2load.
import { readFileSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOUNDS, guarded, until } from '../../../../tools/test-support/index.ts';
import { curl } from '../tls/certs.ts';
import { h2load } from './h2-clients.ts';
import { closedBodies, type Seen } from './tsgi-app.ts';
import { startTsgiH2, type TsgiH2 } from './tsgi-server.ts';

let target: TsgiH2;
beforeAll(async () => {
  target = await startTsgiH2({ bodyLimit: 800_000 });
});
afterAll(() => target?.close());

/** A node:http2 client session to the server under test, trusting the test CA; its errors are the test's to read. */
function connectTarget(): http2.ClientHttp2Session {
  const session = http2.connect(target.url, {
    ca: readFileSync(target.pki.ca),
    servername: 'localhost',
  });
  session.on('error', () => {});
  return session;
}

describe('HTTP/2 over TLS', () => {
  it('curl --http2 gets the answer; the app sees HTTP/2.0 and :authority as HTTP_HOST', async () => {
    const answer = await curl(`${target.url}/seen?a=1`, target.pki.ca, [
      '--http2',
      '-H',
      'Cookie: a=1',
      '-H',
      'Cookie: b=2',
      '-w',
      '\n%{http_version}',
    ]);
    expect(answer.stderr).toBe('');
    const [json, version] = answer.body.split('\n');
    expect(version).toBe('2');
    const seen = JSON.parse(json!) as Seen;
    expect(seen).toEqual({
      protocol: 'HTTP/2.0',
      host: `127.0.0.1:${target.port}`,
      scheme: 'https',
      cookie: 'a=1; b=2',
      method: 'GET',
      path: '/seen',
      query: 'a=1',
    });
  });

  it('curl --http1.1 on the same port still gets HTTP/1.1', async () => {
    const answer = await curl(`${target.url}/seen`, target.pki.ca, ['-w', '\n%{http_version}']);
    const [json, version] = answer.body.split('\n');
    expect(version).toBe('1.1');
    expect((JSON.parse(json!) as Seen).protocol).toBe('HTTP/1.1');
  });

  it('a large POST body streams through flow control and is echoed whole', async () => {
    const body = Buffer.alloc(700_000);
    for (let i = 0; i < body.length; i++) body[i] = (i * 7) % 251;
    const file = target.pki.path('body.bin');
    writeFileSync(file, body);
    const out = target.pki.path('echo.bin');
    const answer = await curl(`${target.url}/echo`, target.pki.ca, [
      '--http2',
      '--data-binary',
      `@${file}`,
      '-o',
      out,
      '-w',
      '%{http_code} %{size_download}',
    ]);
    expect(answer.stderr).toBe('');
    expect(answer.body).toBe('200 700000');
    expect(readFileSync(out).equals(body)).toBe(true);
  });

  it('a body over bodyLimit is a 413, as over HTTP/1.1', async () => {
    const file = target.pki.path('big.bin');
    writeFileSync(file, Buffer.alloc(900_000, 1));
    const answer = await curl(`${target.url}/echo`, target.pki.ca, [
      '--http2',
      '--data-binary',
      `@${file}`,
      '-w',
      '\n%{http_code}',
    ]);
    expect(answer.body.split('\n').at(-1)).toBe('413');
  });

  it("a stream the client resets mid-body runs the body's close()", async () => {
    const session = connectTarget();
    await guarded(
      async () => {
        const stream = session.request({ ':method': 'POST', ':path': '/echo-reset' });
        stream.on('error', () => {});
        let echoed = 0;
        stream.on('data', (chunk: Buffer) => {
          echoed += chunk.byteLength;
        });
        stream.write(Buffer.alloc(50_000, 2));
        await until(() => echoed >= 50_000, {
          ms: BOUNDS.short,
          what: 'the first body bytes echoed',
          details: () => `echoed ${echoed}`,
        });
        expect(closedBodies).not.toContain('/echo-reset');
        stream.close(http2.constants.NGHTTP2_CANCEL);
        await until(() => closedBodies.includes('/echo-reset'), {
          ms: BOUNDS.short,
          what: "the echo body's close() after the reset",
          details: () => `closed: ${JSON.stringify(closedBodies)}`,
        });
        // The session and its other streams go on.
        const again = await new Promise<number>((resolve, reject) => {
          const next = session.request({ ':path': '/' });
          next.on('response', (headers) => resolve(Number(headers[':status'])));
          next.on('error', reject);
          next.resume();
        });
        expect(again).toBe(200);
      },
      () => void session.destroy(),
    );
  });

  it('a body without content-length past bodyLimit: 413, then the stream closes', async () => {
    const session = connectTarget();
    await guarded(
      async () => {
        const stream = session.request({ ':method': 'POST', ':path': '/size' });
        stream.on('error', () => {});
        let status = 0;
        stream.on('response', (headers) => {
          status = Number(headers[':status']);
        });
        stream.resume();
        const chunk = Buffer.alloc(16_384, 3);
        // Never ends its body: the server's answer has to close the stream.
        const feed = () => {
          while (!stream.closed && stream.write(chunk)) {}
        };
        stream.on('drain', feed);
        feed();
        await until(() => stream.closed, {
          ms: BOUNDS.short,
          what: 'the stream closed after the 413',
          details: () => `status ${status}, rstCode ${stream.rstCode}`,
        });
        expect([status, stream.rstCode]).toEqual([413, http2.constants.NGHTTP2_NO_ERROR]);
        // The server's side of the stream is gone too: its session closes with the client's.
        session.destroy();
        const transport = target.server.listener.transport;
        await until(() => [...transport.sockets()].length === 0, {
          ms: BOUNDS.short,
          what: 'the session closed on the server',
          details: () => `${[...transport.sockets()].length} connections open`,
        });
      },
      () => void session.destroy(),
    );
  });

  it('h2load -c4 -m10 -n2000: every request succeeds', async () => {
    const report = await h2load(`${target.url}/`, ['-c4', '-m10', '-n2000']);
    expect(report, report.output).toMatchObject({
      total: 2000,
      succeeded: 2000,
      failed: 0,
      errored: 0,
      timeout: 0,
      ok2xx: 2000,
    });
  });
});

describe('hop-by-hop headers from the app', () => {
  let hop: TsgiH2;
  beforeAll(async () => {
    // Without validate(): this app breaks SPEC.md [sr.6] on purpose.
    hop = await startTsgiH2({}, true);
  });
  afterAll(() => hop?.close());

  it('are dropped over HTTP/2: the stream still answers, the headers never go out', async () => {
    const answer = await curl(`${hop.url}/hop`, hop.pki.ca, ['--http2', '-i']);
    expect(answer.stderr).toBe('');
    const [head, body] = answer.body.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/2 200/);
    expect(head).toMatch(/^x-kept: yes$/m);
    expect(head).not.toMatch(
      /^(connection|keep-alive|transfer-encoding|upgrade|proxy-connection):/im,
    );
    expect(body).toBe('hop');
  });
});

describe('httpProtocols', () => {
  it("['http/1.1'] keeps HTTP/2 off: curl --http2 gets HTTP/1.1", async () => {
    const only1 = await startTsgiH2({ httpProtocols: ['http/1.1'] });
    await guarded(
      async () => {
        const answer = await curl(`${only1.url}/`, only1.pki.ca, [
          '--http2',
          '-w',
          ' %{http_version}',
        ]);
        expect(answer.body).toBe('hello 1.1');
      },
      () => only1.close(),
    );
  });

  it("['h2'] refuses HTTP/1.1: curl --http1.1 fails, curl --http2 is served", async () => {
    const only2 = await startTsgiH2({ httpProtocols: ['h2'] });
    await guarded(
      async () => {
        const refused = await curl(`${only2.url}/`, only2.pki.ca);
        expect(refused.code).not.toBe(0);
        const answer = await curl(`${only2.url}/`, only2.pki.ca, [
          '--http2',
          '-w',
          ' %{http_version}',
        ]);
        expect(answer.body).toBe('hello 2');
      },
      () => only2.close(),
    );
  });
});
