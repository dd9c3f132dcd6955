import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Application } from '@tsgi/spec';
import { flushLineBuffers, jsonResponse, statusLine, validate } from '@tsgi/spec';
import { afterAll, describe, expect, it } from 'vitest';
import { guarded } from '../../../tools/test-support/index.ts';
import { createHandler, createServer, serve } from '../src/index.js';
import { memoryStream, parseHead, rawRequest, start, text } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'tsgi-node-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const echo: Application = (environ, startResponse) =>
  jsonResponse(startResponse, 200, {
    REMOTE_ADDR: environ.REMOTE_ADDR,
    REMOTE_PORT: environ.REMOTE_PORT,
    SERVER_NAME: environ.SERVER_NAME,
    SERVER_PORT: environ.SERVER_PORT,
    PATH_INFO: environ.PATH_INFO,
  });

describe('serve', () => {
  it('listens on an ephemeral TCP port and reports it', async () => {
    const server = await start(echo);
    expect(server.address.host).toBe('127.0.0.1');
    expect(server.address.port).toBeGreaterThan(0);
    expect(server.address.url).toBe(`http://127.0.0.1:${server.address.port}`);
    expect((await fetch(`${server.url}/x`)).status).toBe(200);
  });

  it('listens on a Unix socket with a mode; the peer has no address', async () => {
    const path = join(dir, 'app.sock');
    const server = await start(echo, { socket: path, socketMode: 0o660 });
    expect(server.address).toEqual({ path, url: `unix:${path}` });
    expect(statSync(path).mode & 0o777).toBe(0o660);
    const result = await rawRequest(
      path,
      'GET /u HTTP/1.1\r\nHost: app.local\r\nConnection: close\r\n\r\n',
    );
    const { status, body } = parseHead(result.text);
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual({
      REMOTE_ADDR: '',
      REMOTE_PORT: '',
      SERVER_NAME: 'app.local',
      SERVER_PORT: '80',
      PATH_INFO: '/u',
    });
    // HTTP/1.0 without Host still gets a valid SERVER_NAME/PORT
    const bare = parseHead((await rawRequest(path, 'GET / HTTP/1.0\r\n\r\n')).text);
    expect(JSON.parse(bare.body)).toMatchObject({ SERVER_NAME: 'localhost', SERVER_PORT: '80' });
    await server.close();
  });

  it('replaces a stale socket file left by a dead process', async () => {
    const path = join(dir, 'stale.sock');
    // A child process listens on the path and is killed with SIGKILL, so the
    // socket file stays behind as after a crash.
    const child = spawn(
      process.execPath,
      [
        '-e',
        `require('node:net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise((resolve) => child.stdout!.once('data', resolve));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(statSync(path).isSocket()).toBe(true);
    const server = await start(echo, { socket: path });
    expect(parseHead((await rawRequest(path, 'GET / HTTP/1.0\r\n\r\n')).text).status).toBe(200);
    await server.close();
  });

  it('refuses a socket path another server is listening on', async () => {
    const path = join(dir, 'live.sock');
    const live = createNetServer((socket) => socket.end());
    await new Promise<void>((resolve) => live.listen(path, resolve));
    await guarded(
      async () => {
        await expect(serve(validate(echo), { socket: path })).rejects.toThrow(/in use/);
        expect(statSync(path).isSocket()).toBe(true);
      },
      () => new Promise((resolve) => live.close(resolve)),
    );
  });

  it('refuses to replace a path that is not a socket', async () => {
    const path = join(dir, 'plain-file');
    writeFileSync(path, 'keep me');
    await expect(serve(validate(echo), { socket: path })).rejects.toThrow(/not a socket/);
  });

  it('listens on an inherited handle (socket activation, cluster)', async () => {
    const listener = createNetServer();
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as { port: number }).port;
    const server = await serve(validate(echo), { handle: listener, errors: memoryStream() });
    await guarded(
      async () => {
        expect(server.address.port).toBe(port);
        expect((await fetch(`http://127.0.0.1:${port}/h`)).status).toBe(200);
      },
      () => server.close(),
      () => listener.close(),
    );
  });

  it('listens on an inherited file descriptor (systemd socket activation)', async () => {
    const listener = createNetServer();
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as { port: number }).port;
    const handle = (listener as unknown as { _handle: object })._handle;
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/serve-fd3.ts'], {
      cwd: new URL('..', import.meta.url).pathname,
      stdio: ['ignore', 'pipe', 'inherit', handle as never],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await guarded(
      async () => {
        const line = await new Promise<string>((resolve, reject) => {
          child.stdout!.once('data', (data: Buffer) => resolve(data.toString()));
          child.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
        });
        // The parent stops accepting: every connection now reaches the child.
        await new Promise((resolve) => listener.close(resolve));
        expect(JSON.parse(line)).toMatchObject({ port });
        const response = await fetch(`http://127.0.0.1:${port}/from-fd`);
        expect(await response.json()).toEqual({ pid: child.pid, path: '/from-fd' });
      },
      // kill() of a child that exited already is no error; `exited` saw its 'exit' either way.
      () => child.kill('SIGTERM'),
      () => exited,
      () => listener.close(),
    );
  });

  it('rejects bad options with a TypeError naming them', async () => {
    await expect(serve(echo, { port: 70_000 })).rejects.toThrow(/port/);
    await expect(serve(echo, { bodyLimit: -1 })).rejects.toThrow(/bodyLimit/);
    await expect(serve(echo, { scriptName: 'api/' })).rejects.toThrow(/scriptName/);
    await expect(serve(echo, { trustProxy: ['nope'] })).rejects.toThrow(/trustProxy/);
    await expect(serve(echo, { accessLog: 'xml' as 'json' })).rejects.toThrow(/accessLog/);
  });
});

describe('createHandler and createServer', () => {
  it('mounts a TSGI app in an existing node:http server', async () => {
    const handler = createHandler(validate(echo), { errors: memoryStream() });
    const server = createHttpServer(handler).on('checkContinue', handler.checkContinue);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await guarded(
      async () => {
        const port = (server.address() as { port: number }).port;
        const response = await fetch(`http://127.0.0.1:${port}/mounted`);
        expect(await response.json()).toMatchObject({
          PATH_INFO: '/mounted',
          REMOTE_ADDR: '127.0.0.1',
        });
        // 100-continue through the mounted handler
        const continued = await new Promise<boolean>((resolve, reject) => {
          let saw = false;
          const req = request(
            {
              port,
              host: '127.0.0.1',
              method: 'POST',
              path: '/c',
              headers: { expect: '100-continue', 'content-length': 1 },
            },
            (res) => {
              res.resume();
              res.on('end', () => resolve(saw));
            },
          );
          req.on('continue', () => {
            saw = true;
            req.end('x');
          });
          req.on('error', reject);
        });
        // echo never reads the body, so no 100 was sent and the answer came straight away
        expect(continued).toBe(false);
      },
      () => {
        server.closeAllConnections();
        return new Promise((resolve) => server.close(resolve));
      },
    );
  });

  it('createServer returns a configured server that is not listening yet', () => {
    const server = createServer(echo, {
      headersTimeout: 1234,
      requestTimeout: 5678,
      maxHeaderSize: 2048,
      keepAliveTimeout: 99,
    });
    expect(server.listening).toBe(false);
    expect(server.headersTimeout).toBe(1234);
    expect(server.requestTimeout).toBe(5678);
    expect(server.keepAliveTimeout).toBe(99);
    expect((server as unknown as { maxHeaderSize: number }).maxHeaderSize).toBe(2048);
  });
});

describe('access log', () => {
  it("writes one Common Log Format line per request with 'common'", async () => {
    const log = memoryStream();
    const server = await start(
      (_environ, startResponse) => {
        startResponse(statusLine(201), [['Content-Length', '5']]);
        return [text('hello')];
      },
      { accessLog: 'common', accessLogStream: log },
    );
    await (await fetch(`${server.url}/items?x=1`)).text();
    await (await fetch(`${server.url}/two`)).text();
    await flushLineBuffers(); // the access log writes in batches
    const lines = log.text().trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^127\.0\.0\.1 - - \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000\] "GET \/items\?x=1 HTTP\/1\.1" 201 5$/,
    );
  });

  it("writes JSON lines with 'json'", async () => {
    const log = memoryStream();
    const server = await start(echo, { accessLog: 'json', accessLogStream: log });
    await (await fetch(`${server.url}/j`, { headers: { 'user-agent': 'probe' } })).text();
    await flushLineBuffers(); // the access log writes in batches
    const entry = JSON.parse(log.text().trim());
    expect(entry).toMatchObject({
      remote_addr: '127.0.0.1',
      method: 'GET',
      uri: '/j',
      protocol: 'HTTP/1.1',
      status: 200,
      user_agent: 'probe',
    });
    expect(entry.bytes).toBeGreaterThan(0);
    expect(typeof entry.duration_ms).toBe('number');
    expect(Number.isNaN(Date.parse(entry.time))).toBe(false);
  });

  it('logs requests refused before the app: by the server (414) and by the parser (400)', async () => {
    const log = memoryStream();
    let called = 0;
    const server = await start(
      (environ, startResponse) => {
        called++;
        return echo(environ, startResponse);
      },
      { accessLog: 'common', accessLogStream: log, maxUrlLength: 64 },
    );
    const long = `/${'a'.repeat(100)}`;
    const tooLong = await rawRequest(server.port, `GET ${long} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(parseHead(tooLong.text).status).toBe(414);
    const smuggle = await rawRequest(
      server.port,
      'POST /s HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n',
    );
    expect(parseHead(smuggle.text).status).toBe(400);
    const garbage = await rawRequest(server.port, '\x01\x02 nonsense\r\n\r\n');
    expect(parseHead(garbage.text).status).toBe(400);
    expect(called).toBe(0);
    await flushLineBuffers(); // the access log writes in batches
    const lines = log.text().trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const stamp = String.raw`\[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000\]`;
    expect(lines[0]).toMatch(
      new RegExp(`^127\\.0\\.0\\.1 - - ${stamp} "GET ${long} HTTP/1\\.1" 414 \\d+$`),
    );
    expect(lines[1]).toMatch(
      new RegExp(`^127\\.0\\.0\\.1 - - ${stamp} "POST /s HTTP/1\\.1" 400 \\d+$`),
    );
    expect(lines[2]).toMatch(new RegExp(`^127\\.0\\.0\\.1 - - ${stamp} "-" 400 \\d+$`));
  });

  it('is off by default', async () => {
    const server = await start(echo);
    const written: string[] = [];
    const original = process.stdout.write;
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(String(chunk));
      return (original as (...args: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
    }) as typeof process.stdout.write;
    try {
      await (await fetch(`${server.url}/off-by-default`)).text();
    } finally {
      process.stdout.write = original;
    }
    expect(written.join('')).not.toMatch(/off-by-default/);
  });
});
