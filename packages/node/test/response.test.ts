import { connect } from 'node:net';
import type { Application, ResponseBody } from '@tsgi/spec';
import { statusLine } from '@tsgi/spec';
import { describe, expect, it } from 'vitest';
import {
  gate,
  parseHead,
  rawRequest,
  start,
  startUnvalidated,
  text,
  until,
  untilStalled,
} from './helpers.js';

const GET = (path = '/', extra = '') =>
  `GET ${path} HTTP/1.1\r\nHost: h\r\n${extra}Connection: close\r\n\r\n`;

/** Decodes a chunked body (the part after the head). */
function dechunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const line = rest.indexOf('\r\n');
    const size = Number.parseInt(rest.slice(0, line), 16);
    if (Number.isNaN(size) || size === 0) return out;
    out += rest.slice(line + 2, line + 2 + size);
    rest = rest.slice(line + 2 + size + 2);
  }
}

describe('response', () => {
  it('sends the headers with the first non-empty chunk, not before', async () => {
    const waiting = gate();
    const proceed = gate();
    const server = await start((environ, startResponse) => {
      if (environ.PATH_INFO === '/ping') {
        startResponse(statusLine(200), [['Content-Length', '4']]);
        return [text('pong')];
      }
      startResponse(statusLine(200), [['Content-Type', 'text/plain']]);
      return (async function* () {
        yield new Uint8Array(0);
        waiting.open();
        await proceed.promise;
        yield text('now');
      })();
    });
    const received: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port: server.port });
    socket.on('data', (chunk) => received.push(chunk));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.write(GET());
    await waiting.promise;
    // The server has taken the empty chunk (the generator runs on past it). A whole round
    // trip on a second connection: the first one had every chance to get bytes by now.
    const ping = await rawRequest(server.port, GET('/ping'));
    expect(parseHead(ping.text).body).toBe('pong');
    expect(Buffer.concat(received).byteLength).toBe(0);
    proceed.open();
    await closed;
    const { status, body } = parseHead(Buffer.concat(received).toString('latin1'));
    expect(status).toBe(200);
    expect(dechunk(body)).toBe('now');
  });

  it('uses chunked encoding on HTTP/1.1 without Content-Length', async () => {
    const server = await start((_environ, startResponse) => {
      startResponse(statusLine(200), []);
      return (async function* () {
        yield text('ab');
        yield text('cd');
      })();
    });
    const result = await rawRequest(server.port, GET());
    const { headers, body } = parseHead(result.text);
    expect(headers).toContain('transfer-encoding: chunked');
    expect(dechunk(body)).toBe('abcd');
  });

  it('delimits the body by closing the connection on HTTP/1.0', async () => {
    const server = await start((_environ, startResponse) => {
      startResponse(statusLine(200), []);
      return (function* () {
        yield text('ab');
        yield text('cd');
      })();
    });
    const result = await rawRequest(server.port, 'GET / HTTP/1.0\r\n\r\n');
    const { headers, body } = parseHead(result.text);
    expect(headers.some((h) => h.startsWith('transfer-encoding'))).toBe(false);
    expect(headers.some((h) => h.startsWith('content-length'))).toBe(false);
    expect(body).toBe('abcd');
    expect(result.ending).toBe('end');
  });

  it('honours the app Content-Length', async () => {
    const server = await start((_environ, startResponse) => {
      startResponse(statusLine(200), [['Content-Length', '4']]);
      return (async function* () {
        yield text('ab');
        yield text('cd');
      })();
    });
    const result = await rawRequest(server.port, GET());
    const { headers, body } = parseHead(result.text);
    expect(headers).toContain('content-length: 4');
    expect(headers.some((h) => h.startsWith('transfer-encoding'))).toBe(false);
    expect(body).toBe('abcd');
  });

  it('aborts the connection when the body overruns Content-Length after the headers', async () => {
    const server = await startUnvalidated((_environ, startResponse) => {
      startResponse(statusLine(200), [['Content-Length', '3']]);
      return (async function* () {
        yield text('ab');
        yield text('cd');
      })();
    });
    const result = await rawRequest(server.port, GET());
    // The headers went out with "ab": the connection is cut (what was in flight
    // may or may not arrive), never completed with 3 wrong bytes.
    expect(result.ending).not.toBe('timeout');
    expect(parseHead(result.text).body.length).toBeLessThan(3);
    expect(server.errors.text()).toMatch(/longer than its Content-Length of 3/);
  });

  it('aborts the connection when the body falls short of Content-Length', async () => {
    const server = await startUnvalidated((_environ, startResponse) => {
      startResponse(statusLine(200), [['Content-Length', '10']]);
      return (async function* () {
        yield text('abc');
      })();
    });
    const result = await rawRequest(server.port, GET('/', ''));
    expect(parseHead(result.text).body.length).toBeLessThan(10);
    expect(result.ending).not.toBe('timeout'); // closed, not left hanging as if more might come
    expect(server.errors.text()).toMatch(/3 bytes but its Content-Length says 10/);
  });

  it('answers 500 when a mismatch is found before any byte was sent', async () => {
    const server = await startUnvalidated((_environ, startResponse) => {
      startResponse(statusLine(200), [['Content-Length', '2']]);
      return [text('abc')];
    });
    const result = await rawRequest(server.port, GET());
    expect(parseHead(result.text).status).toBe(500);
  });

  it('sends no body for HEAD but keeps the headers a GET would have', async () => {
    const app: Application = (environ, startResponse) => {
      startResponse(statusLine(200), [
        ['Content-Type', 'text/plain'],
        ['Content-Length', '5'],
        ['X-Extra', '1'],
      ]);
      return environ.REQUEST_METHOD === 'HEAD' ? [] : [text('hello')];
    };
    const server = await start(app);
    const get = parseHead((await rawRequest(server.port, GET())).text);
    const head = parseHead(
      (await rawRequest(server.port, 'HEAD / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n'))
        .text,
    );
    expect(get.body).toBe('hello');
    expect(head.status).toBe(200);
    expect(head.headers).toContain('x-extra: 1');
    expect(head.headers).toContain('content-length: 5');
    expect(head.body).toBe('');
  });

  it('does not claim Content-Length: 0 for an empty HEAD body', async () => {
    const app: Application = (environ, startResponse) => {
      startResponse(statusLine(200), [['Content-Type', 'text/plain']]);
      return environ.REQUEST_METHOD === 'HEAD' ? [] : [text('hello')];
    };
    for (const server of [await start(app), await startUnvalidated(app)]) {
      const head = parseHead(
        (await rawRequest(server.port, 'HEAD / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n'))
          .text,
      );
      expect(head.status).toBe(200);
      expect(head.headers.some((h) => h.startsWith('content-length'))).toBe(false);
      expect(head.body).toBe('');
    }
  });

  // validate() rejects a body with bytes for HEAD (body.3), so these two run the
  // app bare: the server must still send nothing, whatever the app yields.
  it('sends no body for HEAD even when the app yields bytes', async () => {
    const server = await startUnvalidated((_environ, startResponse) => {
      startResponse(statusLine(200), [['X-Extra', '1']]);
      return [text('hello')];
    });
    const result = await rawRequest(server.port, [
      'HEAD / HTTP/1.1\r\nHost: h\r\n\r\n',
      'HEAD / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n',
    ]);
    // Two responses, each a bare head: a stray body would corrupt the second.
    const heads = result.text.split('\r\n\r\n');
    expect(heads.filter((h) => h.startsWith('HTTP/1.1 200 OK'))).toHaveLength(2);
    expect(heads.at(-1)).toBe('');
    expect(result.text).not.toMatch(/hello/);
  });

  it('stops iterating a streamed body for HEAD once the headers are out', async () => {
    let produced = 0;
    const server = await startUnvalidated((_environ, startResponse) => {
      startResponse(statusLine(200), [['Content-Type', 'text/plain']]);
      return (async function* () {
        for (let i = 0; i < 1000; i++) {
          produced++;
          yield text('x'.repeat(1000));
        }
      })();
    });
    const head = await rawRequest(
      server.port,
      'HEAD / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n',
    );
    expect(parseHead(head.text)).toMatchObject({ status: 200, body: '' });
    expect(produced).toBeLessThan(5);
  });

  it.each([204, 304])('sends no body for %i', async (code) => {
    const server = await start((_environ, startResponse) => {
      startResponse(statusLine(code), [['X-Kept', 'yes']]);
      return [];
    });
    const result = await rawRequest(server.port, [GET('/'), '']);
    const { status, headers, body } = parseHead(result.text);
    expect(status).toBe(code);
    expect(headers).toContain('x-kept: yes');
    expect(body).toBe('');
  });

  it('keeps repeated headers such as Set-Cookie separate', async () => {
    const server = await start((_environ, startResponse) => {
      startResponse(statusLine(200), [
        ['Set-Cookie', 'a=1; Path=/'],
        ['Set-Cookie', 'b=2, with comma'],
        ['Content-Length', '0'],
      ]);
      return [];
    });
    const { headers } = parseHead((await rawRequest(server.port, GET())).text);
    expect(headers.filter((h) => h.startsWith('set-cookie:'))).toEqual([
      'set-cookie: a=1; path=/',
      'set-cookie: b=2, with comma',
    ]);
  });

  it('serves sync iterables, async iterables, arrays and the legacy write()', async () => {
    const bodies: Record<string, Application> = {
      '/array': (_e, sr) => {
        sr(statusLine(200), []);
        return [text('a'), text('b'), text('c')];
      },
      '/sync': (_e, sr) => {
        sr(statusLine(200), []);
        return (function* () {
          yield text('s1');
          yield text('s2');
        })();
      },
      '/async': async (_e, sr) => {
        sr(statusLine(200), []);
        return (async function* () {
          yield text('a1');
          await new Promise((r) => setTimeout(r, 5));
          yield text('a2');
        })();
      },
      '/write': async (_e, sr) => {
        const write = sr(statusLine(200), []);
        await write(text('w1'));
        await write(text('w2'));
        return [text('w3')];
      },
    };
    const server = await start((environ, startResponse) =>
      bodies[environ.PATH_INFO]!(environ, startResponse),
    );
    const expected: Record<string, string> = {
      '/array': 'abc',
      '/sync': 's1s2',
      '/async': 'a1a2',
      '/write': 'w1w2w3',
    };
    for (const [path, body] of Object.entries(expected)) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(await response.text(), path).toBe(body);
    }
  });

  it('writes a one-element array with a Content-Length, as PEP 3333 allows', async () => {
    const app: Application = (_e, sr) => {
      sr(statusLine(200), [['Content-Type', 'text/plain']]);
      return [text('hello')];
    };
    // validate() hands the server an iterator, not the array: run it bare too, to
    // reach the array fast path.
    const fast = parseHead((await rawRequest((await startUnvalidated(app)).port, GET())).text);
    expect(fast.headers).toContain('content-length: 5');
    expect(fast.body).toBe('hello');
    const checked = await fetch((await start(app)).url);
    expect(await checked.text()).toBe('hello');
  });

  it('sends every byte value of a small one-chunk body exactly, from any Uint8Array view', async () => {
    // Small array bodies take a latin1-string write path: check it is byte-exact,
    // for a view that starts inside its ArrayBuffer, and for a large body beside it.
    const all = new Uint8Array(2 + 256 + 3);
    for (let i = 0; i < 256; i++) all[2 + i] = i;
    const small = all.subarray(2, 2 + 256);
    const large = new Uint8Array(10_000).map((_, i) => (i * 7) & 0xff);
    const app: Application = (environ, sr) => {
      const body = environ.PATH_INFO === '/large' ? large : small;
      sr(statusLine(200), [
        ['Content-Type', 'application/octet-stream'],
        ['Content-Length', String(body.byteLength)],
      ]);
      return [body];
    };
    const server = await startUnvalidated(app);
    for (const [path, expected] of [
      ['/small', small],
      ['/large', large],
    ] as const) {
      const result = await rawRequest(server.port, GET(path));
      const split = result.bytes.indexOf('\r\n\r\n');
      expect(result.bytes.subarray(0, split).toString('latin1')).toContain(
        `Content-Length: ${expected.byteLength}`,
      );
      expect(Buffer.compare(result.bytes.subarray(split + 4), Buffer.from(expected))).toBe(0);
    }
  });

  it('respects backpressure: a client that does not read pauses the body', async () => {
    let produced = 0;
    let finished = false;
    let closes = 0;
    const chunk = new Uint8Array(64 * 1024).fill(120);
    const server = await start((_environ, startResponse) => {
      startResponse(statusLine(200), [['Content-Type', 'application/octet-stream']]);
      const body = (async function* () {
        try {
          // 2000 × 64 KiB = 125 MiB if nothing pushed back
          for (let i = 0; i < 2000; i++) {
            produced++;
            yield chunk;
          }
        } finally {
          finished = true;
        }
      })() as ResponseBody;
      body.close = () => {
        closes++;
      };
      return body;
    });
    const socket = connect({ host: '127.0.0.1', port: server.port });
    socket.pause(); // never read
    socket.write(GET());
    await untilStalled(() => produced);
    // Socket buffers on loopback hold a few MiB; far less than the 125 MiB a
    // server without backpressure would have pulled from the generator.
    expect(produced).toBeLessThan(300);
    socket.destroy();
    await until(() => closes === 1 && finished, 'close() after the client left');
    expect(closes).toBe(1);
    expect(produced).toBeLessThan(300);
  });

  it('respects backpressure through the legacy write()', async () => {
    let writes = 0;
    let done = false;
    const chunk = new Uint8Array(64 * 1024).fill(121);
    const server = await start(async (_environ, startResponse) => {
      const write = startResponse(statusLine(200), []);
      for (let i = 0; i < 2000; i++) {
        writes++;
        await write(chunk);
      }
      done = true;
      return [];
    });
    const socket = connect({ host: '127.0.0.1', port: server.port });
    socket.pause();
    socket.write(GET());
    await untilStalled(() => writes, 'writes to stall');
    expect(writes).toBeLessThan(300);
    socket.destroy();
    // write() never rejects: the app runs to its end, quickly, once the client is gone
    await until(() => done, 'the app to finish');
  });

  it('cuts off a client that reads nothing for idleTimeout, and closes the body', async () => {
    let closes = 0;
    const chunk = new Uint8Array(64 * 1024).fill(122);
    const server = await start(
      (_environ, startResponse) => {
        startResponse(statusLine(200), []);
        const body = (async function* () {
          for (let i = 0; i < 2000; i++) yield chunk;
        })() as ResponseBody;
        body.close = () => {
          closes++;
        };
        return body;
      },
      { idleTimeout: 300 },
    );
    const socket = connect({ host: '127.0.0.1', port: server.port });
    socket.pause();
    socket.on('error', () => {});
    socket.write(GET());
    // The client never reads: after 300 ms without progress the server gives up
    // on it, which ends the exchange and closes the body.
    await until(() => closes === 1, 'the stalled response to be cut off');
    socket.destroy();
    expect(closes).toBe(1);
  });
});
