import type { Application } from '@tsgi/spec';
import { jsonResponse } from '@tsgi/spec';
import { describe, expect, it } from 'vitest';
import { parseHead, rawRequest, start } from './helpers.js';

const echo: Application = (environ, startResponse) =>
  jsonResponse(startResponse, 200, {
    REMOTE_ADDR: environ.REMOTE_ADDR,
    REMOTE_PORT: environ.REMOTE_PORT,
    scheme: environ['tsgi.url_scheme'],
    HTTP_HOST: environ.HTTP_HOST,
    SERVER_NAME: environ.SERVER_NAME,
    SERVER_PORT: environ.SERVER_PORT,
  });

async function ask(port: number, headers: string): Promise<Record<string, string>> {
  const result = await rawRequest(
    port,
    `GET / HTTP/1.1\r\nHost: inner:8000\r\n${headers}Connection: close\r\n\r\n`,
  );
  const { status, body } = parseHead(result.text);
  expect(status).toBe(200);
  return JSON.parse(body) as Record<string, string>;
}

describe('trustProxy', () => {
  it('is off by default: forwarding headers are ignored', async () => {
    const server = await start(echo);
    const env = await ask(
      server.port,
      'X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: public.example\r\n',
    );
    expect(env).toMatchObject({
      REMOTE_ADDR: '127.0.0.1',
      scheme: 'http',
      HTTP_HOST: 'inner:8000',
      SERVER_NAME: 'inner',
    });
  });

  it('takes X-Forwarded-For/-Proto/-Host from a trusted peer', async () => {
    const server = await start(echo, { trustProxy: 'loopback' });
    const env = await ask(
      server.port,
      'X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: public.example\r\n',
    );
    expect(env).toMatchObject({
      REMOTE_ADDR: '203.0.113.9',
      REMOTE_PORT: '',
      scheme: 'https',
      HTTP_HOST: 'public.example',
      SERVER_NAME: 'public.example',
      SERVER_PORT: '443',
    });
  });

  it('ignores them from an untrusted peer', async () => {
    const server = await start(echo, { trustProxy: ['10.0.0.0/8', '2001:db8::/32'] });
    const env = await ask(
      server.port,
      'X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\n',
    );
    expect(env).toMatchObject({ REMOTE_ADDR: '127.0.0.1', scheme: 'http' });
  });

  it('walks X-Forwarded-For from the right, skipping trusted hops', async () => {
    const server = await start(echo, { trustProxy: ['loopback', '10.0.0.0/8'] });
    const env = await ask(server.port, 'X-Forwarded-For: 198.51.100.1, 203.0.113.9, 10.1.2.3\r\n');
    // 198.51.100.1 is whatever the client claimed: only 203.0.113.9 was seen by a trusted proxy.
    expect(env.REMOTE_ADDR).toBe('203.0.113.9');
  });

  it('reads RFC 7239 Forwarded, which wins over X-Forwarded-*', async () => {
    const server = await start(echo, { trustProxy: 'loopback' });
    const env = await ask(
      server.port,
      'Forwarded: for=192.0.2.60;proto=http, for="[2001:db8:cafe::17]:4711";proto=https;host=shop.example\r\nX-Forwarded-For: 198.51.100.7\r\n',
    );
    expect(env).toMatchObject({
      REMOTE_ADDR: '2001:db8:cafe::17',
      REMOTE_PORT: '4711',
      scheme: 'https',
      HTTP_HOST: 'shop.example',
    });
  });
});
