// Cleartext HTTP/2 by prior knowledge (`httpProtocols` with 'h2c'): real
// clients (curl, h2load, node:http2) on loopback, HTTP/1.1 on the same port,
// a client that stalls inside the preface, and the option's refusals.
import { execFile } from 'node:child_process';
import http2 from 'node:http2';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOUNDS, bound, guarded } from '../../../../tools/test-support/index.ts';
import { createListener } from '../../src/index.js';
import { rawRequest } from '../helpers.js';
import { h2load } from './h2-clients.ts';
import { h2App, type Seen } from './tsgi-app.ts';
import { startTsgiH2c, type TsgiH2c } from './tsgi-server.ts';

const run = promisify(execFile);

/** `curl -sS <extra> <url>` in cleartext, bounded; its exit code, body and stderr (never throws for curl's own failures). */
async function curl(url: string, extra: string[]): Promise<{ code: number; body: string }> {
  try {
    const { stdout } = await run(
      'curl',
      ['-sS', '--max-time', String(bound(BOUNDS.process) / 1000), ...extra, url],
      { timeout: bound(BOUNDS.process) },
    );
    return { code: 0, body: stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, body: e.stdout ?? '' };
  }
}

describe('h2c beside HTTP/1.1 on one port', () => {
  let target: TsgiH2c;
  beforeAll(async () => {
    target = await startTsgiH2c();
  });
  afterAll(() => target?.close());

  it('curl --http2-prior-knowledge gets HTTP/2; the app sees HTTP/2.0 and scheme http', async () => {
    const answer = await curl(`${target.url}/seen?a=1`, [
      '--http2-prior-knowledge',
      '-w',
      '\n%{http_version}',
    ]);
    expect(answer.code).toBe(0);
    const [json, version] = answer.body.split('\n');
    expect(version).toBe('2');
    expect(JSON.parse(json!) as Seen).toMatchObject({
      protocol: 'HTTP/2.0',
      scheme: 'http',
      host: `127.0.0.1:${target.port}`,
      path: '/seen',
      query: 'a=1',
    });
  });

  it('curl --http1.1 on the same port gets HTTP/1.1, a body and keep-alive included', async () => {
    const answer = await curl(`${target.url}/size`, [
      '--http1.1',
      '--data-binary',
      'x'.repeat(100_000),
      '-w',
      '\n%{http_version}',
    ]);
    expect(answer.body.split('\n')).toEqual(['100000', '1.1']);
  });

  it('a node:http2 client in cleartext streams a body through', async () => {
    const session = http2.connect(target.url);
    session.on('error', () => {});
    await guarded(
      async () => {
        const stream = session.request({ ':method': 'POST', ':path': '/echo' });
        const parts: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => parts.push(chunk));
        const ended = new Promise<void>((resolve, reject) => {
          stream.on('end', resolve);
          stream.on('error', reject);
        });
        stream.end(Buffer.alloc(300_000, 'z'));
        await ended;
        expect(Buffer.concat(parts).equals(Buffer.alloc(300_000, 'z'))).toBe(true);
      },
      () => session.close(),
    );
  });

  it('h2load over h2c and over HTTP/1.1: every request succeeds', async () => {
    const h2 = await h2load(`${target.url}/`, ['-c4', '-m10', '-n2000']);
    expect([h2.succeeded, h2.failed, h2.errored, h2.ok2xx]).toEqual([2000, 0, 0, 2000]);
    expect(h2.output).toMatch(/Application protocol: h2c/);
    const h1 = await h2load(`${target.url}/`, ['--h1', '-c4', '-n2000']);
    expect([h1.succeeded, h1.failed, h1.errored, h1.ok2xx]).toEqual([2000, 0, 0, 2000]);
    expect(h1.output).toMatch(/Application protocol: http\/1\.1/);
  });

  it('a request line that begins like the preface, then differs, is HTTP/1.1 (400)', async () => {
    const got = await rawRequest(
      target.port,
      'PRI * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      BOUNDS.process,
    );
    expect(got.text).toMatch(/^HTTP\/1\.1 400 /);
    expect(got.ending).toBe('end');
  });
});

describe('h2c alone, and its limits', () => {
  let target: TsgiH2c;
  beforeAll(async () => {
    target = await startTsgiH2c({ httpProtocols: ['h2c'], headersTimeout: 300 });
  });
  afterAll(() => target?.close());

  it("['h2c'] closes an HTTP/1.1 client without an answer and serves HTTP/2", async () => {
    const got = await rawRequest(target.port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', BOUNDS.process);
    expect([got.text, got.ending]).toEqual(['', 'end']);
    const answer = await curl(`${target.url}/`, ['--http2-prior-knowledge']);
    expect(answer).toEqual({ code: 0, body: 'hello' });
  });

  it('a client that stops inside the preface is closed after headersTimeout', async () => {
    const got = await rawRequest(target.port, 'PRI * HTTP/2.0\r\n', BOUNDS.process);
    expect([got.text, got.ending]).toEqual(['', 'end']);
  });
});

describe('the h2c option', () => {
  it('is refused with TLS, on uwsgi, and a cleartext listener must speak something', () => {
    expect(() =>
      createListener(h2App, 'http', {
        certfile: 'cert.pem',
        keyfile: 'key.pem',
        httpProtocols: ['h2c'],
      }),
    ).toThrow(/h2c is cleartext HTTP\/2 \(prior knowledge\); over TLS, HTTP\/2 is h2/);
    expect(() => createListener(h2App, 'uwsgi', { httpProtocols: ['h2c'] })).toThrow(
      /h2c \(cleartext HTTP\/2\) is for the http protocol only, not uwsgi/,
    );
    expect(() => createListener(h2App, 'http', { httpProtocols: ['h2'] })).toThrow(
      /without TLS, HTTP\/2 is h2c/,
    );
  });

  it('without h2c, a cleartext listener answers the preface as HTTP/1.1 does (no HTTP/2)', async () => {
    const target = await startTsgiH2c({ httpProtocols: ['h2', 'http/1.1'] });
    await guarded(
      async () => {
        const answer = await curl(`${target.url}/`, ['--http2-prior-knowledge']);
        expect(answer.code).not.toBe(0);
      },
      () => target.close(),
    );
  });
});
