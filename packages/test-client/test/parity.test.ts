import { serve } from '@tsgi/node';
import { expect, test } from 'vitest';
import { createClient } from '../src/index.ts';
import { echoApp } from './apps.ts';

type Echo = { environ: Record<string, unknown>; body: string };

// Keys fetch adds on its own, and values that depend on the socket.
const FETCH_HEADERS = [
  'HTTP_ACCEPT',
  'HTTP_ACCEPT_ENCODING',
  'HTTP_ACCEPT_LANGUAGE',
  'HTTP_CONNECTION',
  'HTTP_SEC_FETCH_MODE',
  'HTTP_USER_AGENT',
];
const PER_SOCKET = ['SERVER_NAME', 'SERVER_PORT', 'HTTP_HOST', 'REMOTE_PORT'];

test('the in-process environ matches what @tsgi/node builds for the same request', async () => {
  const server = await serve(echoApp, { host: '127.0.0.1', port: 0 });
  try {
    const inProcess = createClient(echoApp);
    const overHttp = createClient(server.address.url);
    const requests: Array<[string, string, Parameters<typeof inProcess.request>[2]]> = [
      ['GET', '/items/caf%C3%A9?a=1&b=%20', { headers: { 'X-One': '1', Cookie: 'a=1' } }],
      ['POST', '/items', { json: { name: 'pear' }, query: { tag: ['x', 'y'] } }],
      ['PUT', '/raw', { body: new Uint8Array([1, 2, 3]) }],
      ['DELETE', '/a%2Fb', {}],
      // A name holding `_` is dropped by the server (it could spoof X-User): in-process too.
      ['GET', '/who', { headers: { X_User: 'eve', 'X-User': 'ann' } }],
    ];
    for (const [method, path, init] of requests) {
      const local = (await (await inProcess.request(method, path, init)).json()) as Echo;
      const remote = (await (await overHttp.request(method, path, init)).json()) as Echo;
      const strip = (environ: Record<string, unknown>) => {
        const copy = { ...environ };
        for (const key of [...FETCH_HEADERS, ...PER_SOCKET]) delete copy[key];
        return copy;
      };
      expect(strip(local.environ), `${method} ${path}`).toEqual(strip(remote.environ));
      expect(local.body).toBe(remote.body);
    }
  } finally {
    await server.close();
  }
});
