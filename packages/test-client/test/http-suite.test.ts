import { serve, type TsgiServer } from '@tsgi/node';
import { afterEach, expect, test } from 'vitest';
import { createClient, type TestClient } from '../src/index.ts';
import { clientSuite } from './client-suite.ts';

const servers: TsgiServer[] = [];
const clients: TestClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(servers.splice(0).map((server) => server.close({ timeout: 500 })));
});

clientSuite({
  mode: 'http',
  async client(app, options = {}) {
    const server = await serve(app, { host: '127.0.0.1', port: 0 });
    servers.push(server);
    // The live server runs the app as is; validate only applies in-process.
    const { validate: _validate, ...rest } = options;
    const client = createClient(server.address.url, rest);
    clients.push(client);
    return client;
  },
});

test('a server that is not there fails with the method and URL in the message', async () => {
  const server = await serve(() => [], { host: '127.0.0.1', port: 0 });
  const url = server.address.url;
  await server.close();
  await expect(createClient(url).get('/health')).rejects.toThrow(
    `test-client: GET ${url}/health failed`,
  );
});
