import {
  type Application,
  BodyTooLargeError,
  type Environ,
  type ResponseBody,
  statusLine,
  validate,
} from '@tsgi/spec';
import { describe, expect, test } from 'vitest';
import { toFetchHandler } from '../src/index.ts';
import { errorLog } from './support/error-log.ts';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Serves `app` (behind validate(), so the adapter's server side is checked too) for one request. */
function handle(app: Application, request: Request, errors = errorLog()) {
  return toFetchHandler(validate(app), { errors })(request);
}

/** An app that answers with the environ's string keys as JSON. */
const environView: Application = (environ, startResponse) => {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(environ))
    if (typeof value === 'string') out[key] = value;
  const body = text(JSON.stringify(out));
  startResponse('200 OK', [['Content-Type', 'application/json']]);
  return [body];
};

async function environOf(request: Request): Promise<Record<string, string>> {
  return (await (await handle(environView, request)).json()) as Record<string, string>;
}

describe('toFetchHandler: the environ of a Request', () => {
  test('CGI keys from the URL, the headers and the peer', async () => {
    const headers = new Headers([
      ['cookie', 'a=1'],
      ['cookie', 'b=2'],
      ['accept', 'text/html'],
      ['accept', 'application/json'],
      ['x-custom', 'yes'],
    ]);
    const environ = await toFetchHandler(environView, {
      scriptName: '/api',
      peer: () => ({ address: '::ffff:10.0.0.7', port: '5123' }),
    })(
      new Request('https://example.com:8443/api/items/caf%C3%A9?page=2&q=a%20b', { headers }),
    ).then((r) => r.json() as Promise<Record<string, string>>);
    expect(environ).toMatchObject({
      REQUEST_METHOD: 'GET',
      SCRIPT_NAME: '/api',
      PATH_INFO: '/items/café',
      QUERY_STRING: 'page=2&q=a%20b',
      REQUEST_URI: '/api/items/caf%C3%A9?page=2&q=a%20b',
      SERVER_NAME: 'example.com',
      SERVER_PORT: '8443',
      SERVER_PROTOCOL: 'HTTP/1.1',
      REMOTE_ADDR: '10.0.0.7',
      REMOTE_PORT: '5123',
      HTTP_HOST: 'example.com:8443',
      HTTP_COOKIE: 'a=1; b=2',
      HTTP_ACCEPT: 'text/html, application/json',
      HTTP_X_CUSTOM: 'yes',
      'tsgi.url_scheme': 'https',
    });
    expect(environ.CONTENT_LENGTH).toBeUndefined();
  });

  test('a Host field wins over the URL; a body of unknown length is chunked', async () => {
    const environ = await environOf(
      new Request('http://internal:9000/x', {
        method: 'POST',
        headers: { host: 'public.example', 'content-type': 'text/plain' },
        body: 'hi',
      }),
    );
    expect(environ.HTTP_HOST).toBe('public.example');
    expect(environ.SERVER_NAME).toBe('public.example');
    expect(environ.SERVER_PORT).toBe('80');
    expect(environ.CONTENT_TYPE).toBe('text/plain');
    expect(environ.HTTP_TRANSFER_ENCODING).toBe('chunked');
    expect(environ.REMOTE_ADDR).toBe('');
  });

  test('the runtime hooks give the peer: Bun server.requestIP, Deno info.remoteAddr', async () => {
    const handler = toFetchHandler(environView);
    const bun = { requestIP: () => ({ address: '127.0.0.1', port: 40000, family: 'IPv4' }) };
    const deno = { remoteAddr: { transport: 'tcp', hostname: '::1', port: 40001 } };
    const fromBun = (await (await handler(new Request('http://h/'), bun)).json()) as Environ;
    const fromDeno = (await (await handler(new Request('http://h/'), deno)).json()) as Environ;
    expect([fromBun.REMOTE_ADDR, fromBun.REMOTE_PORT]).toEqual(['127.0.0.1', '40000']);
    expect([fromDeno.REMOTE_ADDR, fromDeno.REMOTE_PORT]).toEqual(['::1', '40001']);
  });

  test('a request the environ cannot hold is refused before the app runs, naming why', async () => {
    let ran = false;
    const response = await toFetchHandler(() => {
      ran = true;
      return [];
    })(new Request('http://h/bad%FFpath'));
    expect(response.status).toBe(400);
    expect(await response.text()).toBe(
      'request path has an invalid percent-encoding (not UTF-8, or %00)\n',
    );
    expect(ran).toBe(false);
  });

  test('tsgi.input reads the body on demand, bounded by bodyLimit (413)', async () => {
    const echo: Application = async (environ, startResponse) => {
      const bytes = await environ['tsgi.input'].read();
      startResponse('200 OK', []);
      return [bytes];
    };
    const body = new Uint8Array(100).fill(7);
    const ok = await handle(echo, new Request('http://h/', { method: 'PUT', body }));
    expect(new Uint8Array(await ok.arrayBuffer())).toEqual(body);
    const tooBig = await toFetchHandler(echo, { bodyLimit: 10, errors: errorLog() })(
      new Request('http://h/', { method: 'PUT', body }),
    );
    expect(tooBig.status).toBe(413);
    expect(await tooBig.text()).toBe(`${new BodyTooLargeError(10).message}\n`);
  });

  test('bad options fail at setup with a clear error', () => {
    expect(() => toFetchHandler(environView, { scriptName: '/api/' })).toThrow(
      'toFetchHandler: scriptName must be "" or a path like "/api" without a trailing "/", got "/api/"',
    );
    expect(() => toFetchHandler(environView, { bodyLimit: -1 })).toThrow('bodyLimit');
    expect(() => toFetchHandler(environView, { trustProxy: ['nope'] })).toThrow('trustProxy');
    expect(() => toFetchHandler('app' as unknown as Application)).toThrow('got string');
  });
});

describe('toFetchHandler: the Response', () => {
  test('an array body is one byte body with its Content-Length; every Set-Cookie its own field', async () => {
    // Without validate(), whose checking wrapper is an iterable, not the array itself.
    const response = await toFetchHandler((_environ, startResponse) => {
      startResponse('201 Created', [
        ['Content-Type', 'text/plain'],
        ['Set-Cookie', 'a=1; Path=/'],
        ['Set-Cookie', 'b=2; Expires=Wed, 21 Oct 2015 07:28:00 GMT'],
      ]);
      return [text('he'), text(''), text('llo')];
    })(new Request('http://h/'));
    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Created');
    expect(response.headers.get('content-length')).toBe('5');
    expect(response.headers.getSetCookie()).toEqual([
      'a=1; Path=/',
      'b=2; Expires=Wed, 21 Oct 2015 07:28:00 GMT',
    ]);
    expect(await response.text()).toBe('hello');
  });

  test('HEAD keeps the headers, Content-Length included, and sends no body', async () => {
    const app: Application = (environ, startResponse) => {
      startResponse('200 OK', [['Content-Length', '5']]);
      return environ.REQUEST_METHOD === 'HEAD' ? [] : [text('hello')];
    };
    const response = await handle(app, new Request('http://h/', { method: 'HEAD' }));
    expect(response.headers.get('content-length')).toBe('5');
    expect(response.body).toBeNull();
  });

  test('hop-by-hop fields are left to the runtime', async () => {
    const response = await toFetchHandler((_environ, startResponse) => {
      startResponse('200 OK', [
        ['Connection', 'close'],
        ['X-Kept', 'yes'],
      ]);
      return [];
    })(new Request('http://h/'));
    expect(response.headers.has('connection')).toBe(false);
    expect(response.headers.get('x-kept')).toBe('yes');
  });

  test('a streamed body is pulled one chunk per read, and ends with close() once', async () => {
    let produced = 0;
    let closes = 0;
    const app: Application = (_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']]);
      const body = (async function* () {
        for (let i = 0; i < 5; i++) {
          produced++;
          yield text(`${i}`);
        }
      })() as ResponseBody;
      body.close = () => void closes++;
      return body;
    };
    const response = await handle(app, new Request('http://h/'));
    const reader = response.body!.getReader();
    expect(produced).toBe(1); // the first chunk made the response
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('0');
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('1');
    expect(produced).toBe(2);
    let rest = '';
    for (;;) {
      const step = await reader.read();
      if (step.done) break;
      rest += new TextDecoder().decode(step.value);
    }
    expect(rest).toBe('234');
    expect(closes).toBe(1);
  });

  test('cancelling the stream (the client went away) stops the body and closes it once', async () => {
    let closes = 0;
    let finished = false;
    const app: Application = (_environ, startResponse) => {
      startResponse('200 OK', []);
      const body = (async function* () {
        try {
          for (;;) yield text('x');
        } finally {
          finished = true;
        }
      })() as ResponseBody;
      body.close = () => void closes++;
      return body;
    };
    const response = await handle(app, new Request('http://h/'));
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    await expect.poll(() => finished).toBe(true);
    expect(closes).toBe(1);
  });

  test('write() before the body is sent first, in order, with backpressure', async () => {
    const app: Application = async (_environ, startResponse) => {
      const write = startResponse('200 OK', []);
      await write(text('a'));
      await write(text('b'));
      return [text('c')];
    };
    const response = await handle(app, new Request('http://h/'));
    expect(await response.text()).toBe('abc');
  });

  test('an error before the first byte is a plain 500, reported on tsgi.errors', async () => {
    const errors = errorLog();
    const response = await handle(
      () => {
        throw new Error('boom');
      },
      new Request('http://h/x'),
      errors,
    );
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('Internal Server Error\n');
    expect(errors.text()).toContain('tsgi: GET /x: Error: boom');
  });

  test('excInfo replaces the head before the first byte', async () => {
    const app: Application = (_environ, startResponse) => {
      startResponse('200 OK', [['X-First', '1']]);
      startResponse(statusLine(503), [['Retry-After', '1']], new Error('later'));
      return [text('busy')];
    };
    const response = await handle(app, new Request('http://h/'));
    expect(response.status).toBe(503);
    expect(response.headers.has('x-first')).toBe(false);
    expect(response.headers.get('retry-after')).toBe('1');
  });

  test('an error after the first byte errors the stream, and close() still runs once', async () => {
    let closes = 0;
    const errors = errorLog();
    const app: Application = (_environ, startResponse) => {
      startResponse('200 OK', []);
      const body = (async function* () {
        yield text('partial');
        throw new Error('mid-stream');
      })() as ResponseBody;
      body.close = () => void closes++;
      return body;
    };
    const response = await handle(app, new Request('http://h/'), errors);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow('mid-stream');
    expect(closes).toBe(1);
    expect(errors.text()).toContain('mid-stream');
  });

  test('a body shorter or longer than its Content-Length never passes as whole', async () => {
    const short = await toFetchHandler(
      (_environ, startResponse) => {
        startResponse('200 OK', [['Content-Length', '10']]);
        return [text('abc')];
      },
      { errors: errorLog() },
    )(new Request('http://h/'));
    expect(short.status).toBe(500);
    const long = await toFetchHandler(
      (_environ, startResponse) => {
        startResponse('200 OK', [['Content-Length', '2']]);
        return (async function* () {
          yield text('a');
          yield text('bcd');
        })();
      },
      { errors: errorLog() },
    )(new Request('http://h/'));
    await expect(long.text()).rejects.toThrow('longer than its Content-Length of 2 bytes');
  });

  test('a body that is not a body is a 500 naming it', async () => {
    const errors = errorLog();
    const response = await toFetchHandler(
      (_environ, startResponse) => {
        startResponse('200 OK', []);
        return 'text' as unknown as ResponseBody;
      },
      { errors },
    )(new Request('http://h/'));
    expect(response.status).toBe(500);
    expect(errors.text()).toContain('the application returned string, not an iterable body');
  });
});
