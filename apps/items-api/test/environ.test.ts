// GET /environ: where it is served, and what it never shows, over real sockets.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { createListener, serve, type TsgiServer } from '@tsgi/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { BOUNDS, bound } from '../../../tools/test-support/index.ts';
import { createApp } from '../src/app.js';
import { environEnabled } from '../src/environ-switch.js';
import type { ItemStore } from '../src/store/store.js';
import { GATEWAY_CGI_KEYS, REDACTED_NAME_PARTS } from '../src/views/environ-redaction.js';
import { send } from './support/send.js';
import { sqliteFixture } from './support/stores.js';

const silent = { write: () => true };

/** One uwsgi packet (Nginx's `uwsgi_pass` framing): a 4-byte header, then length-prefixed vars. */
function uwsgiPacket(vars: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [key, value] of Object.entries(vars)) {
    for (const text of [key, value]) {
      const bytes = Buffer.from(text, 'utf8');
      const size = Buffer.alloc(2);
      size.writeUInt16LE(bytes.byteLength);
      parts.push(size, bytes);
    }
  }
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(4);
  head.writeUInt16LE(body.byteLength, 1);
  return Buffer.concat([head, body]);
}

/** Sends one uwsgi request to 127.0.0.1:`port` and reads the HTTP response until the server closes (bounded). */
function uwsgiRequest(
  port: number,
  vars: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.setTimeout(bound(BOUNDS.short), () =>
      socket.destroy(new Error('uwsgi request timed out')),
    );
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      resolve({ status: Number(text.split(' ')[1]), body: text.slice(split + 4) });
    });
    socket.end(uwsgiPacket(vars));
  });
}

describe('ITEMS_ENVIRON and NODE_ENV decide whether /environ is served', () => {
  test.each([
    [{}, true],
    [{ NODE_ENV: 'development' }, true],
    [{ NODE_ENV: 'production' }, false],
    [{ NODE_ENV: 'production', ITEMS_ENVIRON: 'on' }, true],
    [{ NODE_ENV: 'production', ITEMS_ENVIRON: ' YES ' }, true],
    [{ NODE_ENV: 'production', ITEMS_ENVIRON: '' }, false],
    [{ ITEMS_ENVIRON: 'off' }, false],
    [{ ITEMS_ENVIRON: 'False' }, false],
    [{ ITEMS_ENVIRON: '0' }, false],
  ])('%j → %j', (env, expected) => {
    expect(environEnabled(env)).toBe(expected);
  });

  test('any other value is an error naming the variable', () => {
    expect(() => environEnabled({ ITEMS_ENVIRON: 'maybe' })).toThrow(
      'ITEMS_ENVIRON must be on or off (or true/false, 1/0, yes/no), got "maybe"',
    );
  });
});

describe('GET /environ over loopback', () => {
  const fixture = sqliteFixture();
  let store: ItemStore;
  let server: TsgiServer | undefined;
  let listener: ReturnType<typeof createListener> | undefined;

  beforeAll(async () => {
    await fixture.setup();
    ({ store } = await fixture.fresh());
  });
  afterAll(() => fixture.teardown());
  afterEach(async () => {
    await server?.close({ timeout: 500 });
    await listener?.close(500);
    server = undefined;
    listener = undefined;
  });

  const overHttp = async (environ: boolean) => {
    server = await serve(createApp({ store, validate: true, log: false, environ }), {
      host: '127.0.0.1',
      port: 0,
      errors: silent,
    });
    return server.address.port ?? 0;
  };

  test('off, it is a 404 like any unknown path', async () => {
    const port = await overHttp(false);
    const reply = await send(port, 'GET', '/environ');
    expect(reply.status).toBe(404);
    expect(JSON.parse(reply.body.toString('utf8'))).toEqual({ error: '路径 /environ 不存在' });
    expect((await send(port, 'GET', '/items')).status).toBe(200);
  });

  test('on, every credential header shows as [redacted]; other headers as sent', async () => {
    const port = await overHttp(true);
    const credentials: Record<string, string> = {
      authorization: 'Bearer s3cret-1',
      'proxy-authorization': 'Basic s3cret-2',
      cookie: 'sid=s3cret-3',
      'set-cookie': 'sid=s3cret-4',
      'x-api-key': 's3cret-5',
      'x-auth-token': 's3cret-6',
      'x-csrf-token': 's3cret-7',
      'x-amz-security-token': 's3cret-8',
      'x-client-secret': 's3cret-9',
      'x-db-password': 's3cret-10',
      'x-session-id': 's3cret-11',
      'x-apikey': 's3cret-12',
      'x-private-thing': 's3cret-13',
      'x-user-credential': 's3cret-14',
    };
    const reply = await send(port, 'GET', '/environ?x=1', {
      headers: { ...credentials, 'x-trace': 't-1', accept: 'application/json' },
    });
    expect(reply.status).toBe(200);
    const { environ } = JSON.parse(reply.body.toString('utf8')) as {
      environ: Record<string, unknown>;
    };
    for (const name of Object.keys(credentials)) {
      expect(environ[`HTTP_${name.toUpperCase().replaceAll('-', '_')}`], name).toBe('[redacted]');
    }
    expect(environ).toMatchObject({
      HTTP_X_TRACE: 't-1',
      HTTP_ACCEPT: 'application/json',
      REQUEST_METHOD: 'GET',
      QUERY_STRING: 'x=1',
      'tsgi.url_scheme': 'http',
    });
    expect(reply.body.toString('utf8')).not.toContain('s3cret');
  });

  test('over uwsgi, gateway parameters that are not CGI keys (DB_PASSWORD, …) are redacted', async () => {
    listener = createListener(
      createApp({ store, validate: true, log: false, environ: true }),
      'uwsgi',
      {
        errors: silent,
      },
    );
    const port = (await listener.listen({ host: '127.0.0.1', port: 0 })).port ?? 0;
    const reply = await uwsgiRequest(port, {
      REQUEST_METHOD: 'GET',
      REQUEST_URI: '/environ',
      PATH_INFO: '/environ',
      QUERY_STRING: '',
      SERVER_PROTOCOL: 'HTTP/1.1',
      SERVER_NAME: 'items.example.com',
      SERVER_PORT: '80',
      REMOTE_ADDR: '127.0.0.1',
      REMOTE_PORT: '50000',
      DOCUMENT_ROOT: '/srv/items-api/static',
      REQUEST_SCHEME: 'http',
      HTTP_HOST: 'items.example.com',
      HTTP_X_API_KEY: 'gw-s3cret-1',
      DB_PASSWORD: 'gw-s3cret-2',
      DATABASE_URL: 'postgres://u:gw-s3cret-3@db/items',
      STRIPE_KEY: 'gw-s3cret-4',
    });
    expect(reply.status).toBe(200);
    const { environ } = JSON.parse(reply.body) as { environ: Record<string, unknown> };
    expect(environ).toMatchObject({
      HTTP_X_API_KEY: '[redacted]',
      DB_PASSWORD: '[redacted]',
      DATABASE_URL: '[redacted]',
      STRIPE_KEY: '[redacted]',
      DOCUMENT_ROOT: '/srv/items-api/static',
      REQUEST_SCHEME: 'http',
      SERVER_NAME: 'items.example.com',
      REMOTE_PORT: '50000',
      PATH_INFO: '/environ',
    });
    expect(reply.body).not.toContain('gw-s3cret');
  });
});

test('the items-api page states the deny-list and the CGI keys shown, as the code has them', () => {
  const page = readFileSync(new URL('../../../docs/guide/items-api.md', import.meta.url), 'utf8');
  const section = page.slice(page.indexOf('### GET /environ'));
  const end = section.indexOf('\n## ');
  const text = end === -1 ? section : section.slice(0, end);
  expect(text).toContain('### GET /environ');
  for (const part of REDACTED_NAME_PARTS) expect(text, part).toContain(`\`${part}\``);
  for (const key of GATEWAY_CGI_KEYS) expect(text, key).toContain(`\`${key}\``);
  expect(text).toContain('ITEMS_ENVIRON');
});
