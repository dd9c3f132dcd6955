import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { until } from '../../../../tools/test-support/index.ts';
import { resolveCommand, UsageError } from '../../src/cli/config.js';
import { rawConnection } from '../raw-connection.js';
import { FIXTURES, startTsgi } from './run-tsgi.js';

const dir = mkdtempSync(join(tmpdir(), 'tsgi-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function serveConfig(argv: string[], env: Record<string, string> = {}) {
  const command = resolveCommand(argv, env);
  if (command.kind !== 'serve') throw new Error(`expected serve, got ${command.kind}`);
  return command.config;
}

describe('settings: flags over TSGI_* over the config file over defaults', () => {
  it('merges the three sources in that order', () => {
    const file = join(dir, 'tsgi.json');
    writeFileSync(
      file,
      JSON.stringify({
        module: 'from-file.js',
        port: 9001,
        workers: 3,
        'max-requests': 50,
        harakiri: 20,
      }),
    );
    const config = serveConfig(['serve', '--config', file, '--workers', '5'], {
      TSGI_PORT: '9002',
      TSGI_BODY_LIMIT: '10m',
    });
    expect(config).toMatchObject({
      module: 'from-file.js',
      port: 9002, // env beats the file
      workers: 5, // the flag beats the file
      maxRequests: 50,
      maxRequestsJitter: 5,
      harakiri: 20,
      bodyLimit: 10 * 1024 * 1024,
      protocol: 'http',
      gracefulTimeout: 30,
    });
  });

  it('reads an ini file with a [tsgi] section, comments and other sections ignored', () => {
    const file = join(dir, 'tsgi.ini');
    writeFileSync(
      file,
      [
        '; like uwsgi.ini',
        '[uwsgi]',
        'master = true',
        '[tsgi]',
        'module = dist/app.js:api',
        'socket = /tmp/x.sock',
        'chmod-socket = 660',
        'protocol = uwsgi',
        'max_requests = 1000',
        '# a comment',
        'access-log = json',
      ].join('\n'),
    );
    const config = serveConfig(['serve', '-c', file]);
    expect(config).toMatchObject({
      module: 'dist/app.js:api',
      socket: '/tmp/x.sock',
      chmodSocket: 0o660,
      protocol: 'uwsgi',
      maxRequests: 1000,
      accessLog: 'json',
    });
  });

  it('names the bad setting and where it came from', () => {
    expect(() => serveConfig(['serve', 'a.js', '--port', 'eighty'])).toThrow(
      /--port: port must be a whole number/,
    );
    expect(() => serveConfig(['serve', 'a.js'], { TSGI_PROTOCOL: 'scgi' })).toThrow(
      /TSGI_PROTOCOL: protocol must be one of http, uwsgi, fastcgi/,
    );
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{"wrokers": 2}');
    expect(() => serveConfig(['serve', 'a.js', '--config', file])).toThrow(
      /unknown setting "wrokers"/,
    );
    expect(() => serveConfig(['serve'])).toThrow(UsageError);
    expect(() => serveConfig(['serve', 'a.js', '--nope'])).toThrow(/Unknown option '--nope'/);
  });
});

describe('--http-protocols and --http2-max-concurrent-streams', () => {
  it('default to h2,h1 and 100, take h1, h2, h2c in either order, refuse h2 alone without TLS', async () => {
    const { serverOptions } = await import('../../src/supervisor/server-options.js');
    const plain = serveConfig(['serve', 'a.js']);
    expect([plain.httpProtocols, plain.http2MaxConcurrentStreams]).toEqual(['h2,h1', 100]);
    expect(serverOptions(plain, false).httpProtocols).toEqual(['h2', 'http/1.1']);
    const h1 = serveConfig([
      'serve',
      'a.js',
      '--http-protocols',
      'h1',
      '--http2-max-concurrent-streams',
      '8',
    ]);
    expect(serverOptions(h1, false)).toMatchObject({
      httpProtocols: ['http/1.1'],
      http2MaxConcurrentStreams: 8,
    });
    expect(() => serveConfig(['serve', 'a.js', '--http-protocols', 'h3'])).toThrow(
      /http-protocols must list h2, h1 or h2c/,
    );
    const h2c = serveConfig(['serve', 'a.js', '--http-protocols', 'h2c,h1']);
    expect(serverOptions(h2c, false).httpProtocols).toEqual(['h2c', 'http/1.1']);
    expect(() => serveConfig(['serve', 'a.js', '--http-protocols', 'h2'])).toThrow(
      /without TLS, HTTP\/2 is h2c/,
    );
    expect(() => serveConfig(['serve', 'a.js', '--http2-max-concurrent-streams', '0'])).toThrow(
      /at least 1/,
    );
  });
});

describe('tsgi serve, one process', () => {
  it('--help lists the options with examples', async () => {
    const tsgi = startTsgi(['--help']);
    expect(await tsgi.exited).toBe(0);
    expect(tsgi.stdout()).toContain('Usage: tsgi serve <module>[:export]');
    expect(tsgi.stdout()).toContain('tsgi serve dist/app.js --port 8000 --workers 1');
    expect(tsgi.stdout()).toContain('--harakiri');
    // FastCGI keeps a connection alive between requests too (src/fastcgi/phase-timer.ts).
    const keepAlive = tsgi
      .stdout()
      .split('\n')
      .find((l) => l.startsWith('  --keep-alive-timeout '));
    expect(keepAlive).toContain('(HTTP and FastCGI)');
  });

  it('serves the `application` export and stops on SIGTERM with exit 0', async () => {
    const tsgi = startTsgi(['serve', 'app.mjs', '--port', '0', '--workers', '1']);
    const url = await tsgi.listening;
    const response = await fetch(`${url}/environ`);
    const environ = (await response.json()) as Record<string, unknown>;
    expect(environ['tsgi.multiprocess']).toBe(false);
    expect(environ.PATH_INFO).toBe('/environ');
    expect(tsgi.stderr()).not.toMatch(/master/);
    tsgi.child.kill('SIGTERM');
    expect(await tsgi.exited).toBe(0);
  });

  it('takes :export, falls back to default, and reads TSGI_* from the environment', async () => {
    const named = startTsgi(['serve', 'named.mjs:api'], {
      env: { TSGI_PORT: '0', TSGI_WORKERS: '1' },
    });
    expect(await (await fetch(await named.listening)).text()).toBe('named');
    const fallback = startTsgi(['serve', `${FIXTURES}named.mjs`, '-p', '0', '-w', '1']);
    expect(await (await fetch(await fallback.listening)).text()).toBe('default');
  });

  it('--access-log writes one line per request to stdout; --body-limit applies', async () => {
    const tsgi = startTsgi([
      'serve',
      'app.mjs',
      '--port',
      '0',
      '--workers',
      '1',
      '--access-log',
      'common',
      '--body-limit',
      '1k',
    ]);
    const url = await tsgi.listening;
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const big = await fetch(`${url}/echo`, { method: 'POST', body: new Uint8Array(2048) });
    expect(big.status).toBe(413);
    await until(() => tsgi.stdout().includes('"POST /echo HTTP/1.1" 413'), {
      what: 'the 413 in the access log',
      details: tsgi.output,
    });
    expect(tsgi.stdout()).toMatch(/"GET \/health HTTP\/1\.1" 200 \d+/);
  });

  it('refuses a module without an application, naming what it found', async () => {
    const tsgi = startTsgi(['serve', 'not-an-app.mjs', '--port', '0', '--workers', '1']);
    expect(await tsgi.exited).toBe(1);
    expect(tsgi.stderr()).toMatch(
      /export application is a number, not a TSGI application|no `application` or `default` export/,
    );
  });

  it('exits 2 on a usage error', async () => {
    const tsgi = startTsgi(['serve', 'app.mjs', '--workers', 'many']);
    expect(await tsgi.exited).toBe(2);
    expect(tsgi.stderr()).toContain('--workers: workers must be a whole number');
  });

  it('SIGTERM drains: a kept-alive connection stays open, its next request is answered with Connection: close', async () => {
    const flags = '--port 0 --workers 1 --keep-alive-timeout 30 --graceful-timeout 20';
    const tsgi = startTsgi(['serve', 'app.mjs', ...flags.split(' ')]);
    const { port } = new URL(await tsgi.listening);
    const client = rawConnection({ port: Number(port), host: '127.0.0.1' });
    client.socket.write('GET /stream HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\n\r\n');
    // The headers went out with keep-alive before the stop began.
    await client.until((text) => text.includes('chunk 0'), 'the first chunk');
    tsgi.child.kill('SIGTERM');
    await tsgi.waitFor(/SIGTERM: stopping/);
    await client.until((text) => text.includes('0\r\n\r\n'), 'the end of the stream');
    // The client may send its next request right after the response: it is served, not reset.
    client.socket.write('GET /health HTTP/1.1\r\nHost: h\r\n\r\n');
    await client.closed;
    const received = client.data();
    expect(received).toContain('chunk 4');
    const [, first, second] = received.split('HTTP/1.1 ');
    expect(first).toMatch(/Connection: keep-alive/i);
    expect(second).toMatch(/^200 OK\r\n/);
    expect(second).toContain('Connection: close\r\n');
    expect(second).toContain('"status":"ok"');
    expect(client.error()).toBeUndefined();
    expect(await tsgi.exited).toBe(0);
    expect(tsgi.stderr()).toMatch(/drained 1 connections in [\d.]+ s: 1 closed after a response/);
  });
});
