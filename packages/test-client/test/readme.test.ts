// Each test mirrors a code block of README.md and of docs/packages/test-client.md (the page
// holds the README's first two and the rest), in order; keep them in step.
import { serve } from '@tsgi/node';
import { type Application, jsonResponse } from '@tsgi/spec';
import { expect, test } from 'vitest';
import { createClient, WebSocketDenied } from '../src/index.ts';

// README and docs/packages/test-client.md: the opening example
const items = [{ id: 1, name: 'apple' }];

const app: Application = async (environ, startResponse) => {
  if (environ.PATH_INFO === '/health') return jsonResponse(startResponse, 200, { status: 'ok' });
  if (environ.PATH_INFO === '/items' && environ.REQUEST_METHOD === 'POST') {
    const item = JSON.parse(new TextDecoder().decode(await environ['tsgi.input'].read()));
    items.push({ id: items.length + 1, ...item });
    return jsonResponse(startResponse, 201, items.at(-1));
  }
  return jsonResponse(startResponse, 404, { error: 'not found' });
};

test('the service answers', async () => {
  const client = createClient(app); // in-process, wrapped in validate()

  const health = await client.get('/health');
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok' });

  const created = await client.post('/items', { json: { name: 'pear' } });
  expect(created.status).toBe(201);
  expect(created.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(await created.json()).toEqual({ id: 2, name: 'pear' });
});

// README and docs/packages/test-client.md: "The same tests against a live server"
test('the service answers over HTTP', async () => {
  const server = await serve(app, { host: '127.0.0.1', port: 0 });
  try {
    const client = createClient(server.address.url);
    const health = await client.get('/health');
    expect(await health.json()).toEqual({ status: 'ok' });
  } finally {
    await server.close();
  }
});

// docs/packages/test-client.md: "Requests"
test('requests', async () => {
  const client = createClient(app, { headers: { 'X-Request-Id': 'test-1' } });
  await client.get('/items', { query: { page: 2, tag: ['a', 'b'] } }); // ?page=2&tag=a&tag=b
  await client.post('/items', { json: { name: 'fig' } });
  await client.post('/login', { form: { user: 'ann', password: 'secret' } });
  await client.post('/upload', {
    multipart: {
      title: 'report',
      file: { data: 'a,b\n', filename: 'a.csv', contentType: 'text/csv' },
    },
  });
  await client.put('/raw', { body: new Uint8Array([1, 2, 3]) });
  async function* chunks() {
    yield new TextEncoder().encode('streamed ');
    yield new TextEncoder().encode('body');
  }
  const response = await client.request('PATCH', '/items/1', { body: chunks() });
  expect(response.status).toBe(404);
});

// docs/packages/test-client.md: "Streaming responses"
test('streaming responses', async () => {
  const ticker: Application = (_environ, startResponse) => {
    startResponse('200 OK', [['Content-Type', 'text/plain']]);
    return (async function* () {
      for (let i = 1; i <= 3; i++) yield new TextEncoder().encode(`tick ${i}\n`);
    })();
  };
  const client = createClient(ticker);

  const response = await client.get('/', { stream: true });
  const seen: string[] = [];
  for await (const chunk of response.body) seen.push(new TextDecoder().decode(chunk));
  expect(seen).toEqual(['tick 1\n', 'tick 2\n', 'tick 3\n']);

  const unread = await client.get('/', { stream: true });
  await unread.close(); // or `await client.close()` in afterEach
});

// docs/packages/test-client.md: "WebSockets"
const chat: Application = async (environ, startResponse) => {
  const upgrade = environ['tsgi.websocket'];
  if (upgrade === undefined || environ.HTTP_AUTHORIZATION !== 'Bearer ok') {
    const body = new TextEncoder().encode('members only\n');
    startResponse('403 Forbidden', [
      ['Content-Type', 'text/plain'],
      ['Content-Length', String(body.byteLength)],
    ]);
    return [body];
  }
  const protocol = upgrade.protocols.includes('chat.v1') ? 'chat.v1' : undefined;
  const socket = await upgrade.accept({ protocol });
  (async () => {
    for await (const message of socket) {
      if (message === 'bye') await socket.close(4000, 'see you');
      else await socket.send(`echo: ${message}`);
    }
  })();
  return [];
};

test('websockets', async () => {
  const client = createClient(chat, { headers: { Authorization: 'Bearer ok' } });
  const socket = await client.websocket('/chat', { protocols: ['chat.v1'] });
  expect(socket.protocol).toBe('chat.v1');
  await socket.send('hello');
  expect(await socket.receive()).toBe('echo: hello');
  await socket.send('bye');
  expect(await socket.closed).toEqual({ code: 4000, reason: 'see you' });

  const denied = await createClient(chat)
    .websocket('/chat')
    .catch((error) => error);
  expect(denied).toBeInstanceOf(WebSocketDenied);
  expect(denied.status).toBe(403);
  expect(denied.body).toBe('members only\n');
});

// docs/packages/test-client.md: "WebSockets" (over HTTP)
test('the chat over HTTP', async () => {
  const server = await serve(chat, { host: '127.0.0.1', port: 0 });
  try {
    const client = createClient(server.address.url, { headers: { Authorization: 'Bearer ok' } });
    const socket = await client.websocket('/chat', { protocols: 'chat.v1' });
    await socket.send('hello');
    expect(await socket.receive()).toBe('echo: hello');
    await socket.close();
  } finally {
    await server.close();
  }
});

// docs/packages/test-client.md: "Cookies and redirects"
test('cookies and redirects', async () => {
  const site: Application = (environ, startResponse) => {
    if (environ.PATH_INFO === '/login') {
      startResponse('303 See Other', [
        ['Location', '/me'],
        ['Set-Cookie', 'session=abc; Path=/; HttpOnly'],
        ['Content-Length', '0'],
      ]);
      return [];
    }
    return jsonResponse(startResponse, 200, { cookie: environ.HTTP_COOKIE ?? null });
  };
  const client = createClient(site, { followRedirects: true });
  const response = await client.post('/login', { form: { user: 'ann' } });
  expect(response.redirected).toBe(true);
  expect(await response.json()).toEqual({ cookie: 'session=abc' });
  expect(client.cookies?.get('session')).toBe('abc');
});

// docs/packages/test-client.md: "The environ"
test('the environ', async () => {
  const whoami: Application = (environ, startResponse) =>
    jsonResponse(startResponse, 200, {
      scheme: environ['tsgi.url_scheme'],
      addr: environ.REMOTE_ADDR,
      script: environ.SCRIPT_NAME,
      path: environ.PATH_INFO,
    });
  const client = createClient(whoami, {
    baseUrl: 'https://api.example/v1',
    environ: { REMOTE_ADDR: '203.0.113.9' },
  });
  const response = await client.get('/users/me');
  expect(await response.json()).toEqual({
    scheme: 'https',
    addr: '203.0.113.9',
    script: '/v1',
    path: '/users/me',
  });
  const local = await client.get('/users/me', { environ: { REMOTE_ADDR: '127.0.0.1' } });
  expect(((await local.json()) as { addr: string }).addr).toBe('127.0.0.1');
});

// docs/packages/test-client.md: "Failures point at the bug"
test('failures point at the bug', async () => {
  const broken: Application = (environ) => {
    environ['tsgi.errors'].write('about to fail\n');
    throw new RangeError('page must be positive');
  };
  const client = createClient(broken);
  await expect(client.get('/items?page=-1')).rejects.toThrow(RangeError); // the app's own error
  expect(client.errors).toBe('about to fail\n');

  const forgetful: Application = (_environ, startResponse) => {
    startResponse('200 OK', [['Content-Length', '10']]);
    return [new TextEncoder().encode('short')];
  };
  await expect(createClient(forgetful).get('/')).rejects.toThrow(/\[body\.\d+\]|Content-Length/);
});
