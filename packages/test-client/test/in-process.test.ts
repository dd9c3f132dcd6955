import type { Application } from '@tsgi/spec';
import { jsonResponse, RequestBodyError, TsgiValidationError } from '@tsgi/spec';
import { describe, expect, test } from 'vitest';
import { createClient } from '../src/index.ts';
import { bytes, echoApp, textResponse } from './apps.ts';

type Echo = { environ: Record<string, unknown>; body: string };

async function environOf(response: Response | { json(): Promise<unknown> }) {
  return ((await response.json()) as Echo).environ;
}

describe('the in-process environ', () => {
  test('is spec-complete with the documented defaults', async () => {
    let seen: Record<string, unknown> = {};
    const app: Application = (environ, startResponse) => {
      seen = { ...environ };
      return jsonResponse(startResponse, 200, {});
    };
    await createClient(app).get('/health');
    const { 'tsgi.input': input, 'tsgi.errors': errors, ...plain } = seen;
    expect(plain).toEqual({
      REQUEST_METHOD: 'GET',
      SCRIPT_NAME: '',
      PATH_INFO: '/health',
      QUERY_STRING: '',
      SERVER_NAME: 'localhost',
      SERVER_PORT: '80',
      SERVER_PROTOCOL: 'HTTP/1.1',
      REMOTE_ADDR: '127.0.0.1',
      REMOTE_PORT: '49152',
      REQUEST_URI: '/health',
      HTTP_HOST: 'localhost',
      'tsgi.version': [1, 0],
      'tsgi.url_scheme': 'http',
      'tsgi.multithread': true,
      'tsgi.multiprocess': false,
      'tsgi.run_once': false,
    });
    expect(typeof (input as { read: unknown }).read).toBe('function');
    expect(typeof (errors as { write: unknown }).write).toBe('function');
  });

  test('a body adds CONTENT_LENGTH; Cookie headers join with "; "', async () => {
    const client = createClient(echoApp);
    const environ = await environOf(
      await client.post('/', {
        body: 'abc',
        headers: [
          ['Cookie', 'a=1'],
          ['Cookie', 'b=2'],
        ],
      }),
    );
    expect(environ.CONTENT_LENGTH).toBe('3');
    expect(environ.CONTENT_TYPE).toBe('text/plain; charset=utf-8');
    expect(environ.HTTP_COOKIE).toBe('a=1; b=2');
  });

  test('a path that is not valid percent-encoded UTF-8 fails the test with a clear error', async () => {
    const client = createClient(echoApp);
    await expect(client.get('/bad/%FF')).rejects.toThrow(
      /"\/bad\/%FF" does not percent-decode to valid UTF-8/,
    );
    await expect(client.get('/bad/%zz')).rejects.toThrow(TypeError);
  });

  test('baseUrl sets scheme, host, port and SCRIPT_NAME', async () => {
    const client = createClient(echoApp, { baseUrl: 'https://api.example:8443/v1/' });
    const environ = await environOf(await client.get('/items?x=1'));
    expect(environ).toMatchObject({
      SCRIPT_NAME: '/v1',
      PATH_INFO: '/items',
      REQUEST_URI: '/v1/items?x=1',
      SERVER_NAME: 'api.example',
      SERVER_PORT: '8443',
      HTTP_HOST: 'api.example:8443',
      'tsgi.url_scheme': 'https',
    });
  });

  test('a baseUrl path that needs percent-encoding still becomes SCRIPT_NAME, decoded', async () => {
    const client = createClient(echoApp, { baseUrl: 'http://localhost/商店 1' });
    const environ = await environOf(await client.get('/items'));
    expect(environ).toMatchObject({
      SCRIPT_NAME: '/商店 1',
      PATH_INFO: '/items',
      REQUEST_URI: '/%E5%95%86%E5%BA%97%201/items',
    });
    expect(() => createClient(echoApp, { baseUrl: 'http://localhost/%FF' })).toThrow(
      /"\/%FF" does not percent-decode to valid UTF-8/,
    );
  });

  test('environ overrides: client defaults, per request, and undefined deletes', async () => {
    const client = createClient(echoApp, {
      environ: { REMOTE_ADDR: '10.0.0.7', 'myapp.user': 'ann' },
    });
    const first = await environOf(await client.get('/'));
    expect(first.REMOTE_ADDR).toBe('10.0.0.7');
    const second = await environOf(
      await client.get('/', {
        environ: { 'tsgi.url_scheme': 'https', REMOTE_ADDR: '192.0.2.1', HTTP_HOST: undefined },
      }),
    );
    expect(second['tsgi.url_scheme']).toBe('https');
    expect(second.REMOTE_ADDR).toBe('192.0.2.1');
    expect(second).not.toHaveProperty('HTTP_HOST');
  });

  test('OPTIONS * is sent in asterisk form', async () => {
    const client = createClient(echoApp);
    const environ = await environOf(await client.options('*'));
    expect(environ.REQUEST_URI).toBe('*');
    expect(environ.PATH_INFO).toBe('');
    await expect(client.get('*')).rejects.toThrow(/only for OPTIONS/);
  });

  test('tsgi.errors lands in client.errors and response.errors', async () => {
    const app: Application = (environ, startResponse) => {
      environ['tsgi.errors'].write(`warn ${environ.PATH_INFO}\n`);
      return jsonResponse(startResponse, 200, {});
    };
    const client = createClient(app);
    const first = await client.get('/a');
    await client.get('/b');
    expect(first.errors).toBe('warn /a\n');
    expect(client.errors).toBe('warn /a\nwarn /b\n');
    client.clearErrors();
    expect(client.errors).toBe('');
  });
});

describe('app errors surface as the original error', () => {
  test('thrown synchronously, rejected, or thrown while iterating (close() still runs)', async () => {
    const boom = new Error('boom');
    let closed = 0;
    const app: Application = (environ, startResponse) => {
      if (environ.PATH_INFO === '/sync') throw boom;
      if (environ.PATH_INFO === '/async') return Promise.reject(boom);
      startResponse('200 OK', []);
      function* body() {
        yield bytes('partial');
        throw boom;
      }
      return Object.assign(body(), {
        close() {
          closed++;
        },
      });
    };
    for (const validate of [true, false]) {
      const client = createClient(app, { validate });
      for (const path of ['/sync', '/async', '/iter']) {
        const error = await client.get(path).catch((e: unknown) => e);
        expect(error).toBe(boom);
      }
    }
    expect(closed).toBe(2);
    expect(boom.stack).toMatch(/in-process\.test\.ts/);
  });

  test('startResponse twice without excInfo is an error; excInfo replaces the response before bytes go out', async () => {
    const twice: Application = (_environ, startResponse) => {
      startResponse('200 OK', []);
      startResponse('500 Internal Server Error', []);
      return [];
    };
    await expect(createClient(twice, { validate: false }).get('/')).rejects.toThrow(
      /startResponse was called a second time/,
    );
    await expect(createClient(twice).get('/')).rejects.toThrow(TsgiValidationError);

    const replaced: Application = (_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      try {
        throw new Error('late failure');
      } catch (error) {
        startResponse('503 Service Unavailable', [['Content-Length', '0']], error);
      }
      return [];
    };
    for (const validate of [true, false]) {
      const response = await createClient(replaced, { validate }).get('/');
      expect(response.status).toBe(503);
      expect(response.statusText).toBe('Service Unavailable');
    }

    const tooLate = new Error('too late');
    const afterBytes: Application = (_environ, startResponse) => {
      const write = startResponse('200 OK', []);
      void write(bytes('sent'));
      startResponse('500 Internal Server Error', [], tooLate);
      return [];
    };
    expect(
      await createClient(afterBytes, { validate: false })
        .get('/')
        .catch((e) => e),
    ).toBe(tooLate);
  });

  test('a Content-Length that does not match the body is caught like a server would', async () => {
    const liar = textResponse(200, 'hello', [['X-Extra', '1']]);
    const app: Application = (environ, startResponse) =>
      liar(environ, (status, headers) =>
        startResponse(
          status,
          headers.map(([n, v]) => (n === 'Content-Length' ? [n, '99'] : [n, v])),
        ),
      );
    await expect(createClient(app, { validate: false }).get('/')).rejects.toThrow(
      /Content-Length: 99 but a body of 5 bytes/,
    );
    await expect(createClient(app).get('/')).rejects.toThrow(TsgiValidationError);
  });

  test('validate() is on by default and catches spec violations; off, the client still fails clearly', async () => {
    const stringBody = ((_environ: unknown, startResponse: (s: string, h: []) => void) => {
      startResponse('200 OK', []);
      return ['not bytes'];
    }) as unknown as Application;
    await expect(createClient(stringBody).get('/')).rejects.toThrow(TsgiValidationError);
    await expect(createClient(stringBody, { validate: false }).get('/')).rejects.toThrow(
      /body produced string; TSGI body chunks must be Uint8Array/,
    );
  });
});

describe('in-process bodies', () => {
  test('an app that returns nothing fails with a clear error', async () => {
    const nothing = (() => undefined) as unknown as Application;
    await expect(createClient(nothing, { validate: false }).get('/')).rejects.toThrow(
      /the app returned undefined instead of a response body/,
    );
    await expect(createClient(nothing).get('/')).rejects.toThrow(TsgiValidationError);
  });

  test('the legacy write() and a body whose chunks reuse one buffer', async () => {
    const writer: Application = (_environ, startResponse) => {
      const write = startResponse('200 OK', []);
      const buffer = bytes('one');
      void write(buffer);
      buffer.set(bytes('XXX'));
      return [bytes('-two')];
    };
    expect(await (await createClient(writer).get('/')).text()).toBe('one-two');

    const reuse: Application = (_environ, startResponse) => {
      startResponse('200 OK', []);
      const buffer = new Uint8Array(1);
      return (function* () {
        for (const char of 'abc') {
          buffer[0] = char.charCodeAt(0);
          yield buffer;
        }
      })();
    };
    expect(await (await createClient(reuse).get('/')).text()).toBe('abc');
  });

  test('a streamed request body shorter than its Content-Length rejects read() with a 400', async () => {
    let failure: unknown;
    const app: Application = async (environ, startResponse) => {
      try {
        await environ['tsgi.input'].read();
      } catch (error) {
        failure = error;
      }
      return jsonResponse(startResponse, 400, {});
    };
    async function* short() {
      yield bytes('abc');
    }
    const response = await createClient(app, { validate: false }).post('/', {
      body: short(),
      headers: { 'content-length': '10' },
    });
    expect(response.status).toBe(400);
    expect(failure).toBeInstanceOf(RequestBodyError);
    expect((failure as RequestBodyError).status).toBe(400);
  });

  test('an unread streamed response closes with response.close()', async () => {
    let closed = false;
    const app: Application = (_environ, startResponse) => {
      startResponse('200 OK', []);
      return Object.assign(
        (async function* () {
          yield bytes('x');
        })(),
        {
          close() {
            closed = true;
          },
        },
      );
    };
    const response = await createClient(app).get('/', { stream: true });
    expect(closed).toBe(false);
    await response.close();
    expect(closed).toBe(true);
    expect(await response.text()).toBe('');
  });

  test('status comes from a body that calls startResponse lazily', async () => {
    const lazy: Application = (_environ, startResponse) =>
      (async function* () {
        startResponse('202 Accepted', []);
        yield bytes('later');
      })();
    const eager = await createClient(lazy).get('/');
    expect(eager.status).toBe(202);
    const streamed = await createClient(lazy).get('/', { stream: true });
    expect(streamed.status).toBe(202);
    expect(await streamed.text()).toBe('later');
  });
});

describe('echoErrors', () => {
  test('copies tsgi.errors output to stderr', async () => {
    const app: Application = (environ, startResponse) => {
      environ['tsgi.errors'].write('echoed line\n');
      return jsonResponse(startResponse, 200, {});
    };
    const written: string[] = [];
    const original = process.stderr.write;
    process.stderr.write = ((chunk: string) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      await createClient(app, { echoErrors: true }).get('/');
      await createClient(app).get('/');
    } finally {
      process.stderr.write = original;
    }
    expect(written).toEqual(['echoed line\n']);
  });
});

describe('createClient arguments', () => {
  test('bad targets and in-process-only options over HTTP are refused', () => {
    expect(() => createClient(42 as never)).toThrow(/TSGI application .* or a base URL/);
    expect(() => createClient('not a url')).toThrow(/not an absolute URL/);
    expect(() => createClient('http://127.0.0.1:9', { environ: {} })).toThrow(/only in-process/);
  });
});

describe('in-process requests get the environ the server would build', () => {
  test('a header name holding _ is dropped, as @tsgi/node drops it', async () => {
    const client = createClient(echoApp);
    const environ = await environOf(
      await client.get('/', { headers: { X_User: 'eve', 'X-User': 'ann' } }),
    );
    expect(environ.HTTP_X_USER).toBe('ann');
  });

  test('a request the server would refuse gets the server’s 400, not the app', async () => {
    const client = createClient(echoApp);
    const response = await client.get('/', { headers: { Host: 'bad host' } });
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('invalid Host header\n');
  });
});
