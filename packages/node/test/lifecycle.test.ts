import { connect } from 'node:net';
import type { Application, ResponseBody } from '@tsgi/spec';
import { RequestBodyError, statusLine } from '@tsgi/spec';
import { describe, expect, it } from 'vitest';
import { BOUNDS, bound } from '../../../tools/test-support/index.ts';
import {
  gate,
  openConnections,
  parseHead,
  rawRequest,
  start,
  startUnvalidated,
  text,
  until,
} from './helpers.js';

const GET = 'GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n';

/** Gives `body` a counting close(). */
function counted<T extends object>(body: T): T & ResponseBody & { closes: number } {
  const target = body as T & ResponseBody & { closes: number };
  target.closes = 0;
  target.close = () => {
    target.closes++;
  };
  return target;
}

describe('close() is called exactly once', () => {
  it('on a normal end (array and async bodies)', async () => {
    const bodies: Array<ResponseBody & { closes: number }> = [];
    const server = await start((environ, startResponse) => {
      startResponse(statusLine(200), []);
      const body =
        environ.PATH_INFO === '/array'
          ? counted([text('a')])
          : counted(
              (async function* () {
                yield text('b');
              })(),
            );
      bodies.push(body);
      return body;
    });
    expect(await (await fetch(`${server.url}/array`)).text()).toBe('a');
    expect(await (await fetch(`${server.url}/async`)).text()).toBe('b');
    await until(() => bodies.every((b) => b.closes === 1));
    expect(bodies.map((b) => b.closes)).toEqual([1, 1]);
  });

  it('on an app error during iteration', async () => {
    let body: ResponseBody & { closes: number } = counted([]);
    const server = await start((_environ, startResponse) => {
      startResponse(statusLine(200), []);
      body = counted(
        (function* () {
          yield* [];
          throw new Error('boom in the body');
        })(),
      );
      return body;
    });
    const result = await rawRequest(server.port, GET);
    expect(parseHead(result.text).status).toBe(500);
    expect(body.closes).toBe(1);
  });

  it('when the client disconnects mid-stream', async () => {
    let body: ResponseBody & { closes: number } = counted([]);
    const firstSent = gate();
    const server = await start((_environ, startResponse) => {
      startResponse(statusLine(200), []);
      body = counted(
        (async function* () {
          yield text('first');
          firstSent.open();
          for (let i = 0; i < 1000; i++) {
            await new Promise((r) => setTimeout(r, 5));
            yield text('more');
          }
        })(),
      );
      return body;
    });
    const socket = connect({ host: '127.0.0.1', port: server.port });
    const gotData = new Promise((resolve) => socket.once('data', resolve));
    socket.write(GET);
    await firstSent.promise;
    await gotData;
    socket.destroy();
    await until(() => body.closes > 0, 'close()');
    // A second close() has no event to wait for: a short look that none follows.
    await new Promise((r) => setTimeout(r, 50));
    expect(body.closes).toBe(1);
  });

  it('when the client disconnects before an async app resolves', async () => {
    let body: ResponseBody & { closes: number } = counted([]);
    const release = gate();
    const entered = gate();
    const server = await start(async (_environ, startResponse) => {
      entered.open();
      await release.promise;
      startResponse(statusLine(200), []);
      body = counted([text('late')]);
      return body;
    });
    const socket = connect({ host: '127.0.0.1', port: server.port });
    socket.on('error', () => {});
    socket.write(GET);
    await entered.promise;
    socket.destroy();
    await until(
      async () => (await openConnections(server.server)) === 0,
      'the server to see it go',
    );
    release.open();
    await until(() => body.closes === 1, 'close()');
  });

  it('lets an async app that write()s after the client left run to its end', async () => {
    const entered = gate();
    const release = gate();
    let finished = false;
    let body: ResponseBody & { closes: number } = counted([]);
    const server = await start(async (_environ, startResponse) => {
      entered.open();
      await release.promise;
      const write = startResponse(statusLine(200), []);
      for (let i = 0; i < 3; i++) await write(text('late'));
      finished = true;
      body = counted([]);
      return body;
    });
    const socket = connect({ host: '127.0.0.1', port: server.port });
    socket.on('error', () => {});
    socket.write(GET);
    await entered.promise;
    socket.destroy();
    await until(
      async () => (await openConnections(server.server)) === 0,
      'the server to see it go',
    );
    release.open();
    await until(() => finished && body.closes === 1, 'the app to finish');
  });

  it('on server shutdown: close({ timeout }) ends in-flight streams', async () => {
    let body: ResponseBody & { closes: number } = counted([]);
    const streaming = gate();
    let ended = false;
    const server = await start((_environ, startResponse) => {
      startResponse(statusLine(200), []);
      body = counted(
        (async function* () {
          // At least 50 s: far past the close timeout, however fast the machine.
          for (let i = 0; i < 10_000; i++) {
            if (i === 1) streaming.open();
            await new Promise((r) => setTimeout(r, 5));
            yield text('tick');
          }
          ended = true;
        })(),
      );
      return body;
    });
    const client = rawRequest(server.port, GET);
    await streaming.promise;
    const started = Date.now();
    await server.close({ timeout: 150 });
    // Ended by the timeout, not by the stream running out.
    expect(ended).toBe(false);
    expect(Date.now() - started).toBeLessThan(bound(BOUNDS.short));
    const result = await client;
    expect(result.ending).not.toBe('timeout');
    await until(() => body.closes === 1, 'close()');
    // new connections are refused
    await expect(fetch(server.url)).rejects.toThrow();
  });

  it('lets in-flight requests finish within the timeout, with Connection: close', async () => {
    const release = gate();
    const entered = gate();
    const server = await start(async (_environ, startResponse) => {
      entered.open();
      await release.promise;
      startResponse(statusLine(200), [['Content-Length', '4']]);
      return [text('done')];
    });
    const client = rawRequest(server.port, 'GET / HTTP/1.1\r\nHost: h\r\n\r\n');
    await entered.promise;
    const closing = server.close({ timeout: bound(BOUNDS.process) });
    // close() marked the connection closing at once; the response comes after that.
    release.open();
    await closing;
    const { status, headers, body } = parseHead((await client).text);
    expect(status).toBe(200);
    expect(body).toBe('done');
    expect(headers).toContain('connection: close');
  });
  it('closes a keep-alive connection as soon as its in-flight response ends', async () => {
    const release = gate();
    const streaming = gate();
    const server = await start((_environ, startResponse) => {
      startResponse(statusLine(200), []);
      return (async function* () {
        yield text('a');
        streaming.open();
        await release.promise;
        yield text('b');
      })();
    });
    // keep-alive request: its headers are out before close() starts
    const client = rawRequest(server.port, 'GET / HTTP/1.1\r\nHost: h\r\n\r\n');
    await streaming.promise;
    const started = Date.now();
    const timeout = bound(BOUNDS.process);
    const closing = server.close({ timeout });
    release.open();
    await closing;
    // well before the timeout: the connection closed once it was idle
    expect(Date.now() - started).toBeLessThan(timeout / 2);
    const result = await client;
    // The whole body, then the last chunk: 'b' may come in its own chunk or with 'a' (Node 24 on
    // sends what was written in one tick as one chunk).
    expect(result.text).toMatch(/\r\n\r\n(1\r\na\r\n1\r\nb|2\r\nab)\r\n0\r\n\r\n$/);
    expect(result.ending).toBe('end');
  });
});

describe('errors', () => {
  it('answers a thrown error with a generic 500 and reports it with its stack', async () => {
    const server = await start(() => {
      throw new Error('secret detail');
    });
    const result = await rawRequest(server.port, GET);
    const { status, body } = parseHead(result.text);
    expect(status).toBe(500);
    expect(body).toBe('Internal Server Error\n');
    expect(server.errors.text()).toMatch(/secret detail/);
    expect(server.errors.text()).toMatch(/at .*lifecycle\.test\.ts/);
  });

  it('answers a rejected promise with a 500', async () => {
    const server = await start(async () => {
      throw new Error('async failure');
    });
    const { status, body } = parseHead((await rawRequest(server.port, GET)).text);
    expect(status).toBe(500);
    expect(body).not.toMatch(/async failure/);
    expect(server.errors.text()).toMatch(/async failure/);
  });

  it('puts details in the body with debug: true', async () => {
    const server = await start(
      () => {
        throw new Error('visible detail');
      },
      { debug: true },
    );
    const { body } = parseHead((await rawRequest(server.port, GET)).text);
    expect(body).toMatch(/visible detail/);
  });

  it('answers a RequestBodyError with its own status', async () => {
    const server = await start(() => {
      throw new RequestBodyError(415, 'only JSON here');
    });
    const { status, body } = parseHead((await rawRequest(server.port, GET)).text);
    expect(status).toBe(415);
    expect(body).toBe('only JSON here\n');
  });

  it('destroys the connection on an error after the headers are out', async () => {
    const server = await start((_environ, startResponse) => {
      startResponse(statusLine(200), []);
      return (async function* () {
        yield text('partial');
        await new Promise((r) => setTimeout(r, 10));
        throw new Error('mid-stream failure');
      })();
    });
    const result = await rawRequest(server.port, GET);
    const { status } = parseHead(result.text);
    expect(status).toBe(200);
    expect(result.text).toMatch(/partial/);
    expect(result.text.endsWith('0\r\n\r\n')).toBe(false); // never a complete chunked message
    expect(result.ending).not.toBe('timeout');
    expect(server.errors.text()).toMatch(/mid-stream failure/);
  });

  it('never puts a header value with CR/LF on the wire (server check, without validate)', async () => {
    const server = await startUnvalidated((_environ, startResponse) => {
      startResponse(statusLine(200), [['X-Evil', 'a\r\nSet-Cookie: pwned=1']]);
      return [text('x')];
    });
    const result = await rawRequest(server.port, GET);
    expect(parseHead(result.text).status).toBe(500);
    expect(result.text).not.toMatch(/pwned/);
  });

  it('never puts a header value with CR/LF on the wire (with validate)', async () => {
    const server = await start((_environ, startResponse) => {
      startResponse(statusLine(200), [['X-Evil', 'a\nb']]);
      return [text('x')];
    });
    const result = await rawRequest(server.port, GET);
    expect(parseHead(result.text).status).toBe(500);
    expect(result.text).not.toMatch(/X-Evil/i);
  });

  it('lets startResponse with excInfo replace the headers before they are sent', async () => {
    const server = await start((_environ, startResponse) => {
      startResponse(statusLine(200), [['X-First', '1']]);
      try {
        throw new Error('changed my mind');
      } catch (error) {
        startResponse(statusLine(503), [['X-Second', '1']], error);
      }
      return [text('sorry')];
    });
    const { status, headers, body } = parseHead((await rawRequest(server.port, GET)).text);
    expect(status).toBe(503);
    expect(headers).toContain('x-second: 1');
    expect(headers).not.toContain('x-first: 1');
    expect(body).toMatch(/sorry/);
  });

  it('answers 500 when the app never calls startResponse (server check)', async () => {
    const server = await startUnvalidated(() => [text('x')]);
    expect(parseHead((await rawRequest(server.port, GET)).text).status).toBe(500);
    expect(server.errors.text()).toMatch(/without calling startResponse/);
  });

  it('survives a close() that throws', async () => {
    const server = await start((_environ, startResponse) => {
      startResponse(statusLine(200), []);
      const body = [text('ok')] as Uint8Array[] & ResponseBody;
      body.close = () => {
        throw new Error('close failed');
      };
      return body;
    });
    expect(await (await fetch(server.url)).text()).toBe('ok');
    expect(await (await fetch(server.url)).text()).toBe('ok');
    await until(() => /close failed/.test(server.errors.text()));
  });

  it('keeps serving after every kind of failure', async () => {
    const app: Application = (environ, startResponse) => {
      if (environ.PATH_INFO === '/boom') throw new Error('x');
      startResponse(statusLine(200), []);
      return [text('fine')];
    };
    const server = await start(app);
    for (let i = 0; i < 3; i++) {
      expect((await fetch(`${server.url}/boom`)).status).toBe(500);
      expect(await (await fetch(server.url)).text()).toBe('fine');
    }
  });
});
