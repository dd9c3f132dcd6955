/**
 * The FastCGI listener over real loopback sockets, spoken to by hand-built
 * records (helpers.ts): requests and responses, keep-alive, management
 * records, multiplexing refused, aborts, limits, and the drain's close.
 */
import type { Application, RequestBodyError } from '@tsgi/spec';
import { describe, expect, it } from 'vitest';
import { BOUNDS, bound, until } from '../../../../tools/test-support/index.ts';
import { gate, memoryStream, openConnections } from '../helpers.js';
import { begin, nginxParams, pairs, rec, request, startFastcgi, T } from './helpers.js';

const hello: Application = (environ, startResponse) => {
  startResponse('200 OK', [['Content-Type', 'application/json']]);
  return [
    Buffer.from(
      JSON.stringify({
        method: environ.REQUEST_METHOD,
        script: environ.SCRIPT_NAME,
        path: environ.PATH_INFO,
        query: environ.QUERY_STRING,
        host: environ.HTTP_HOST,
        server: environ.SERVER_NAME,
      }),
    ),
  ];
};

/** Answers with the body's length and a digest of its bytes. */
const echo: Application = async (environ, startResponse) => {
  let length = 0;
  let sum = 0;
  for await (const chunk of environ['tsgi.input']) {
    length += chunk.byteLength;
    for (const byte of chunk) sum = (sum + byte) % 65_521;
  }
  startResponse('200 OK', [['Content-Type', 'text/plain']]);
  return [Buffer.from(`${length} ${sum}`)];
};

function digest(bytes: Uint8Array): string {
  let sum = 0;
  for (const byte of bytes) sum = (sum + byte) % 65_521;
  return `${bytes.byteLength} ${sum}`;
}

describe('requests', () => {
  it('answers a GET as a CGI response in FCGI_STDOUT, then an empty one and FCGI_END_REQUEST', async () => {
    const { open } = await startFastcgi(hello);
    const conn = await open();
    conn.send(request(1, nginxParams('GET', '/items?x=1')));
    const answer = await conn.response(1);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(JSON.parse(answer.body.toString())).toEqual({
      method: 'GET',
      script: '',
      path: '/items',
      query: 'x=1',
      host: 'example.test',
      server: 'example.test',
    });
    expect(answer.types.at(-2)).toBe(T.STDOUT);
    expect(answer.types.at(-1)).toBe(T.END);
    expect(answer.protocolStatus).toBe(0);
  });

  it('keeps the connection for the next request when FCGI_KEEP_CONN is set', async () => {
    const { open, listener } = await startFastcgi(hello);
    const conn = await open();
    for (let id = 1; id <= 5; id++) {
      conn.send(request(id, nginxParams('GET', `/n${id}`)));
      const answer = await conn.response(id);
      expect(JSON.parse(answer.body.toString()).path).toBe(`/n${id}`);
    }
    expect(conn.closed).toBe(false);
    expect(await openConnections(listener.server)).toBe(1);
  });

  it('closes the connection after the response without FCGI_KEEP_CONN', async () => {
    const { open } = await startFastcgi(hello);
    const conn = await open();
    conn.send(request(1, nginxParams(), undefined, { keepConn: false }));
    expect((await conn.response(1)).status).toBe(200);
    await conn.until(() => conn.closed);
  });

  it('takes SCRIPT_NAME and PATH_INFO from a split; ignores a SCRIPT_NAME alone (fastcgi_params)', async () => {
    const { open } = await startFastcgi(hello);
    const conn = await open();
    conn.send(
      request(
        1,
        nginxParams('GET', '/api/items/3', { SCRIPT_NAME: '/api', PATH_INFO: '/items/3' }),
      ),
    );
    const split = JSON.parse((await conn.response(1)).body.toString());
    expect([split.script, split.path]).toEqual(['/api', '/items/3']);
    conn.send(request(2, nginxParams('GET', '/api/items/3')));
    const whole = JSON.parse((await conn.response(2)).body.toString());
    expect([whole.script, whole.path]).toEqual(['', '/api/items/3']);
  });

  it('streams a multi-megabyte POST body in many FCGI_STDIN records to the app', async () => {
    const { open } = await startFastcgi(echo, { bodyLimit: 8 * 1024 * 1024 });
    const conn = await open();
    const body = Buffer.alloc(3 * 1024 * 1024 + 7);
    for (let i = 0; i < body.byteLength; i++) body[i] = (i * 31) & 0xff;
    conn.send(
      request(1, nginxParams('POST', '/echo', { CONTENT_LENGTH: String(body.byteLength) }), body, {
        stdinChunk: 65_535,
      }),
    );
    const answer = await conn.response(1, 20_000);
    expect(answer.body.toString()).toBe(digest(body));
  });

  it('takes a body without CONTENT_LENGTH (Nginx streaming it unbuffered) up to the empty FCGI_STDIN', async () => {
    const { open } = await startFastcgi(echo);
    const conn = await open();
    const body = Buffer.from('streamed body, no length');
    conn.send(request(1, nginxParams('POST', '/echo'), body, { stdinChunk: 5 }));
    expect((await conn.response(1)).body.toString()).toBe(digest(body));
  });

  it('answers a body longer than the limit with 413, and closes after', async () => {
    const { open } = await startFastcgi(echo, { bodyLimit: 1000 });
    const conn = await open();
    const body = Buffer.alloc(5000, 1);
    conn.send(request(1, nginxParams('POST', '/echo', { CONTENT_LENGTH: '5000' }), body));
    const answer = await conn.response(1);
    expect(answer.status).toBe(413);
    expect(answer.body.toString()).toMatch(/larger than the limit of 1000 bytes/);
    await conn.until(() => conn.closed);
  });

  it('streams a response of many chunks, with no Content-Length and no chunked encoding', async () => {
    const chunks = Array.from({ length: 50 }, (_, i) => Buffer.alloc(10_000, 65 + (i % 26)));
    const { open } = await startFastcgi((_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      return (async function* () {
        for (const chunk of chunks) {
          await new Promise((resolve) => setImmediate(resolve));
          yield chunk;
        }
      })();
    });
    const conn = await open();
    conn.send(request(1, nginxParams()));
    const answer = await conn.response(1);
    expect(answer.headers['transfer-encoding']).toBeUndefined();
    expect(answer.body.equals(Buffer.concat(chunks))).toBe(true);
    expect(answer.types.filter((type) => type === T.STDOUT).length).toBeGreaterThan(2);
  });

  it('sends no body for HEAD, and the app still sets Content-Length', async () => {
    const { open } = await startFastcgi(hello);
    const conn = await open();
    conn.send(request(1, nginxParams('HEAD', '/')));
    const answer = await conn.response(1);
    expect(answer.status).toBe(200);
    expect(answer.body.byteLength).toBe(0);
  });

  it('answers a bad REQUEST_METHOD with 400 and logs it; the app never runs', async () => {
    let ran = false;
    const { open } = await startFastcgi(() => {
      ran = true;
      return [];
    });
    const conn = await open();
    conn.send(request(1, nginxParams('GE T', '/')));
    const answer = await conn.response(1);
    expect(answer.status).toBe(400);
    expect(answer.body.toString()).toBe('invalid REQUEST_METHOD "GE T"\n');
    expect(ran).toBe(false);
  });

  it('answers params larger than 64 KiB with 431', async () => {
    const { open } = await startFastcgi(hello);
    const conn = await open();
    const big = pairs([['HTTP_X_BIG', 'x'.repeat(60_000)]]);
    conn.send(Buffer.concat([begin(1), rec(T.PARAMS, 1, big), rec(T.PARAMS, 1, big)]));
    const answer = await conn.response(1);
    expect(answer.status).toBe(431);
    expect(answer.body.toString()).toBe('FastCGI params larger than 65535 bytes\n');
  });
});

describe('management records and what a Responder refuses', () => {
  it('answers FCGI_GET_VALUES: no multiplexing', async () => {
    const { open } = await startFastcgi(hello);
    const conn = await open();
    conn.send(
      rec(
        T.GET_VALUES,
        0,
        pairs([
          ['FCGI_MPXS_CONNS', ''],
          ['FCGI_UNHEARD_OF', ''],
        ]),
      ),
    );
    await conn.until(() => conn.records.some((r) => r.type === T.GET_VALUES_RESULT));
    const result = conn.records.find((r) => r.type === T.GET_VALUES_RESULT)!;
    expect(result.id).toBe(0);
    expect(result.content.equals(pairs([['FCGI_MPXS_CONNS', '0']]))).toBe(true);
  });

  it('answers a management record of an unknown type with FCGI_UNKNOWN_TYPE, and goes on', async () => {
    const { open } = await startFastcgi(hello);
    const conn = await open();
    conn.send(rec(42, 0, Buffer.from('whatever')));
    conn.send(request(1, nginxParams()));
    const answer = await conn.response(1);
    expect(answer.status).toBe(200);
    const unknown = conn.records.find((r) => r.type === T.UNKNOWN_TYPE)!;
    expect(unknown.content[0]).toBe(42);
  });

  it('refuses a second request on a busy connection with FCGI_CANT_MPX_CONN; the first completes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { open } = await startFastcgi(async (_environ, startResponse) => {
      await gate;
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      return [Buffer.from('first')];
    });
    const conn = await open();
    conn.send(request(1, nginxParams()));
    conn.send(request(2, nginxParams()));
    const second = await conn.response(2);
    expect(second.protocolStatus).toBe(1);
    expect(second.types).toEqual([T.END]);
    release();
    expect((await conn.response(1)).body.toString()).toBe('first');
  });

  it('refuses the Authorizer and Filter roles with FCGI_UNKNOWN_ROLE', async () => {
    const { open } = await startFastcgi(hello);
    const conn = await open();
    conn.send(begin(1, { role: 2 }));
    expect((await conn.response(1)).protocolStatus).toBe(3);
    conn.send(request(2, nginxParams()));
    expect((await conn.response(2)).status).toBe(200);
  });
});

describe('aborts and disconnects', () => {
  /** An app streaming forever until closed; reports its close(). */
  function endless(): { app: Application; closed: Promise<void> } {
    let onClose!: () => void;
    const closed = new Promise<void>((resolve) => {
      onClose = resolve;
    });
    const app: Application = (_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      let stop = false;
      return {
        async *[Symbol.asyncIterator]() {
          // Bounded: 10,000 chunks at most.
          for (let i = 0; i < 10_000 && !stop; i++) {
            await new Promise((resolve) => setTimeout(resolve, 2));
            yield Buffer.from(`chunk ${i}\n`);
          }
        },
        close() {
          stop = true;
          onClose();
        },
      };
    };
    return { app, closed };
  }

  it('FCGI_ABORT_REQUEST mid-stream: the app’s close() runs, the request ends, the connection serves on', async () => {
    const { app, closed } = endless();
    const { open } = await startFastcgi(app);
    const conn = await open();
    conn.send(request(1, nginxParams()));
    await conn.until(() => conn.records.filter((r) => r.type === T.STDOUT).length > 3);
    conn.send(rec(T.ABORT, 1));
    await closed;
    expect((await conn.response(1)).protocolStatus).toBe(0);
    expect(conn.closed).toBe(false);
  });

  it('the connection closed mid-stream: the app’s close() runs', async () => {
    const { app, closed } = endless();
    const { open } = await startFastcgi(app);
    const conn = await open();
    conn.send(request(1, nginxParams()));
    await conn.until(() => conn.records.filter((r) => r.type === T.STDOUT).length > 3);
    conn.socket.destroy();
    await closed;
  });

  it('a read after FCGI_ABORT_REQUEST destroyed the body rejects with a 400, never waits', async () => {
    const aborted = gate();
    let outcome: string | undefined;
    const late: Application = async (environ, startResponse) => {
      await aborted.promise;
      outcome = await environ['tsgi.input'].read().then(
        (bytes) => `read ${bytes.byteLength} bytes`,
        (error: RequestBodyError) => `${error.status} ${error.message}`,
      );
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      return [];
    };
    const { open } = await startFastcgi(late);
    const conn = await open();
    const params = nginxParams('POST', '/', { CONTENT_LENGTH: '5' });
    conn.send(Buffer.concat([begin(1), rec(T.PARAMS, 1, pairs(params)), rec(T.PARAMS, 1)]));
    conn.send(Buffer.concat([rec(T.STDIN, 1, Buffer.from('he')), rec(T.ABORT, 1)]));
    expect((await conn.response(1)).protocolStatus).toBe(0);
    aborted.open();
    await until(() => outcome !== undefined, { what: 'the late read to settle' });
    expect(outcome).toMatch(/^400 .*FCGI_ABORT_REQUEST/);
  });
});

describe('drain and close', () => {
  it('drain: a busy connection ends after its response, the end marked for Nginx; an idle one waits for its peer', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let running!: () => void;
    const started = new Promise<void>((resolve) => {
      running = resolve;
    });
    const { open, listener } = await startFastcgi(async (_environ, startResponse) => {
      running();
      await gate;
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      return [Buffer.from('done')];
    });
    const busy = await open();
    const idle = await open();
    busy.send(request(1, nginxParams()));
    await started;
    const drained = listener.drain(bound(BOUNDS.process));
    // The drain leaves the idle connection open, and no event says so: a short look.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(idle.closed).toBe(false);
    release();
    const answer = await busy.response(1);
    expect(answer.body.toString()).toBe('done');
    // After FCGI_END_REQUEST, in the same write: an empty FCGI_STDERR, so Nginx does not keep it.
    await busy.until(() => busy.closed);
    expect(busy.records.map((r) => r.type).slice(-3)).toEqual([T.STDOUT, T.END, T.STDERR]);
    expect(idle.closed).toBe(false);
    idle.socket.end();
    const report = await drained;
    expect(report).toMatchObject({ connections: 2, answered: 1, peer: 1, cut: 0 });
  });

  it('a request sent on an idle connection during the drain is served, then the connection ends', async () => {
    const { open, listener } = await startFastcgi(hello);
    const conn = await open();
    const drained = listener.drain(bound(BOUNDS.process));
    conn.send(request(1, nginxParams()));
    expect((await conn.response(1)).status).toBe(200);
    await conn.until(() => conn.closed);
    expect((await drained).answered).toBe(1);
  });

  it('an idle connection past the keep-alive timeout is ended', async () => {
    const { open } = await startFastcgi(hello, { keepAliveTimeout: 200 });
    const conn = await open(request(1, nginxParams()));
    await conn.response(1);
    await conn.until(() => conn.closed);
  });

  it('a running request with no traffic for idleTimeout is cut; one that streams slowly is not', async () => {
    const idleTimeout = 1500;
    const { open } = await startFastcgi(
      (environ, startResponse) => {
        startResponse('200 OK', [['Content-Type', 'text/plain']]);
        const silent = environ.PATH_INFO === '/silent';
        return (async function* () {
          // Bounded: 8 chunks 150 ms apart, 1.2 s in all, a tenth of idleTimeout each;
          // or one silence far past it (the cut ends it first).
          for (let i = 0; i < 8; i++) {
            await new Promise((resolve) => setTimeout(resolve, silent ? 20 * idleTimeout : 150));
            yield Buffer.from(`${i}`);
          }
        })();
      },
      { keepAliveTimeout: 100, idleTimeout },
    );
    const slow = await open(request(1, nginxParams('GET', '/slow')));
    expect((await slow.response(1)).body.toString()).toBe('01234567');
    const began = Date.now();
    const silent = await open(request(1, nginxParams('GET', '/silent')));
    await silent.until(() => silent.closed);
    expect(Date.now() - began).toBeGreaterThanOrEqual(idleTimeout - 50);
    expect(silent.records.some((r) => r.type === T.END)).toBe(false);
  });

  it('params that do not arrive within headersTimeout: the connection is cut, with no answer', async () => {
    const errors = memoryStream();
    const { open } = await startFastcgi(hello, { headersTimeout: 200, errors });
    const conn = await open();
    conn.send(begin(1));
    await conn.until(() => conn.closed);
    expect(conn.records).toEqual([]);
  });
});
